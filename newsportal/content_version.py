"""The version of public content, raised in the same transaction as every change readers see.

A session hook notices changes to the public models (those declaring `PublicContent`, see
models/public.py) at each flush and raises the version in that transaction: the page cache is
keyed by it, so no server serves a page older than the data, and nothing needs to remember to
invalidate it. A new pending comment is not a public change.

A comment or a reply shows on its article's page and, counted, in the lists showing its card:
a change to one raises the versions of those scopes (models.PageScope) instead, so an approval
on article A leaves article B, other categories, the complaints section and every other page
cached. An edit to a published article's text (its lead, its body) raises its page's, its
lists' and the feeds' scopes; an edit to a draft or a scheduled article raises nothing. Which
lists show a card is card_lists.py's to say. A page whose view declares a scope is kept
under both its scope's version and the content version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, event, func, insert, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import sqlite_watch
from .card_lists import lists_showing
from .extensions import db
from .models import Article, ArticleStatus, Category, Comment, ContentState, PageScope
from .models.public import (
    CARDS,
    FEEDS,
    FRONT,
    LATEST,
    LISTS,
    PublicContent,
    article_scope,
    list_scope,
)
from .text import utcnow, vi_sort_key

__all__ = [
    "FEEDS",
    "FRONT",
    "LATEST",
    "LISTS",
    "NO_SCOPE",
    "article_scope",
    "current",
    "list_scope",
    "peek",
]

ROW = 1
NO_SCOPE = ""  # no PageScope row has it: a page that no scoped change touches


@dataclass(frozen=True)
class MenuItem:
    """A category as the menu shows it; also enough to open the category's page."""

    id: int
    name: str
    slug: str
    position: int


@dataclass(frozen=True)
class State:
    version: int
    changed_at: datetime
    menu: tuple[MenuItem, ...] = ()
    scope_version: int = 0  # of the scope asked for; 0 while it never changed
    scope_changed_at: datetime | None = None
    next_due_at: datetime | None = None  # when the version must be raised for an article due

    @property
    def last_changed(self) -> datetime:
        """When what a page of this scope shows last changed (its Last-Modified)."""
        if self.scope_changed_at is None:
            return self.changed_at
        return max(self.changed_at, self.scope_changed_at)


def _next_due(connection: Any, now: datetime) -> Any:
    return connection.execute(
        select(func.min(Article.published_at)).where(
            Article.status == ArticleStatus.PUBLISHED, Article.published_at > now
        )
    ).scalar()


def bump(connection: Any, now: datetime | None = None) -> None:
    """Raise the version and note when the next scheduled article falls due."""
    moment = now or utcnow()
    values = {
        "version": ContentState.version + 1,
        "changed_at": moment,
        "next_due_at": _next_due(connection, moment),
    }
    done = connection.execute(update(ContentState).where(ContentState.id == ROW).values(values))
    if done.rowcount == 0:
        _create(connection, moment)


def _create(connection: Any, moment: datetime) -> None:
    try:
        with connection.begin_nested():
            connection.execute(
                insert(ContentState).values(
                    id=ROW, version=1, changed_at=moment, next_due_at=_next_due(connection, moment)
                )
            )
    except IntegrityError:  # another server created it first: theirs is as good
        pass


# Built once: this runs on every shared page view, cache hits included, so it reads one row,
# with the version of the page's scope (none: NO_SCOPE) beside it, in the same snapshot.
_SCOPED = (
    ContentState.version,
    ContentState.changed_at,
    ContentState.next_due_at,
    PageScope.version.label("scope_version"),
    PageScope.changed_at.label("scope_changed_at"),
)
_VERSION = (
    select(*_SCOPED)
    .select_from(ContentState)
    .outerjoin(PageScope, PageScope.name == bindparam("scope"))
    .where(ContentState.id == ROW)
)
# The menu with its version, in one statement (one snapshot): read only when the version moved.
_WITH_MENU = (
    select(*_SCOPED, Category.id, Category.name, Category.slug, Category.position)
    .select_from(ContentState)
    .outerjoin(PageScope, PageScope.name == bindparam("scope"))
    .outerjoin(Category, true())
    .where(ContentState.id == ROW)
)
MENUS = "newsportal.content_version.menu"  # app.extensions: this process's latest menu


@dataclass
class _LatestMenu:
    """The menu of one version. A category is public content, so any change to one raises the
    version: a menu kept under its (version, changed_at) is never stale. One attribute, so a
    thread replacing it never lets another read one version's key with another's menu."""

    entry: tuple[tuple[int, datetime], tuple[MenuItem, ...]] | None = None


class _Known(threading.local):
    """This thread's states per scope, as of one SQLite data_version (sqlite_watch.py)."""

    def __init__(self) -> None:
        self.stamp: tuple[str, int, int] | None = None
        self.states: dict[str, State] = {}


_known = _Known()
KNOWN_SCOPES = 4096  # states kept per thread between two commits


def peek(now: datetime | None = None, scope: str = NO_SCOPE) -> State | None:
    """The current version, or None when it must first be raised (missing, or an article due).

    A bare connection, no session: this runs on every shared page view, cache hits included. On
    an SQLite file it reads nothing while nothing was committed since this thread last read it.
    """
    moment = now or utcnow()
    seen = sqlite_watch.data_version(db.engine)
    if seen is None:
        return _read(moment, scope)
    stamp = (str(db.engine.url), *seen)  # asked before reading: a later commit is seen next
    if _known.stamp != stamp or len(_known.states) >= KNOWN_SCOPES:
        _known.stamp, _known.states = stamp, {}
    state = _known.states.get(scope)
    if state is None:
        state = _read(moment, scope)
        if state is None:
            return None
        _known.states[scope] = state
    return None if _due(state.next_due_at, moment) else state


def _read(moment: datetime, scope: str) -> State | None:
    latest: _LatestMenu = current_app.extensions.setdefault(MENUS, _LatestMenu())
    with db.engine.connect() as connection:
        row = connection.execute(_VERSION, {"scope": scope}).first()
        if row is None or _due(row.next_due_at, moment):
            return None
        known = latest.entry
        if known is not None and known[0] == (row.version, row.changed_at):
            return _state(row, known[1])
        rows = connection.execute(_WITH_MENU, {"scope": scope}).all()
    if not rows or _due(rows[0].next_due_at, moment):  # changed since the first read
        return None
    items = tuple((r.id, r.name, r.slug, r.position) for r in rows if r.id is not None)
    state = _state(rows[0], _menu(items))
    latest.entry = (state.version, state.changed_at), state.menu
    return state


def _state(row: Any, menu: tuple[MenuItem, ...]) -> State:
    return State(
        row.version,
        row.changed_at,
        menu,
        row.scope_version or 0,
        row.scope_changed_at,
        row.next_due_at,
    )


def _due(next_due_at: datetime | None, now: datetime) -> bool:
    return next_due_at is not None and next_due_at <= now


def _menu(items: tuple[tuple[int, str, str, int], ...]) -> tuple[MenuItem, ...]:
    menu = [MenuItem(*item) for item in items]
    return tuple(sorted(menu, key=lambda item: (item.position, vi_sort_key(item.name))))


def current(now: datetime | None = None, scope: str = NO_SCOPE) -> State:
    """The version readers' pages are keyed by; one query, or a bump when an article fell due."""
    moment = now or utcnow()
    state = peek(moment, scope)
    if state is None:
        # A transaction of its own, committed at once: the request's session is the view's, and
        # a GET must not commit whatever it holds.
        with db.engine.begin() as connection:
            bump(connection, moment)
        state = peek(moment, scope)
    assert state is not None  # noqa: S101 (just raised it, in a committed transaction)
    return state


def bump_scopes(connection: Any, names: set[str], now: datetime | None = None) -> None:
    """Raise the versions of these scopes (creating them at 1), in the caller's transaction."""
    if not names:
        return
    upsert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    moment = now or utcnow()
    statement: Any = upsert(PageScope).values(
        [{"name": name, "version": 1, "changed_at": moment} for name in sorted(names)]
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["name"],
            set_={"version": PageScope.version + 1, "changed_at": statement.excluded.changed_at},
        )
    )


def _public_changes(session: Session) -> tuple[list[Any], list[Any]]:
    """The rows this flush wrote that readers see (models/public.py say which): those added or
    deleted, and those changed."""
    written = [o for o in session.new if isinstance(o, PublicContent) and o.public_when_added()]
    written += [o for o in session.deleted if isinstance(o, PublicContent)]
    changed = [o for o in session.dirty if isinstance(o, PublicContent) and session.is_modified(o)]
    return written, changed


def _resolve(connection: Any, threads: set[tuple[str, int]], scopes: set[str]) -> set[str]:
    """The page scopes raised: the comment threads' articles' pages, and the lists showing the
    cards that changed (`cards_of`, and a comment's article: its count)."""
    cards = {int(name.removeprefix(CARDS)) for name in scopes if name.startswith(CARDS)}
    pages = {name for name in scopes if not name.startswith(CARDS)}
    commented = {key for kind, key in threads if kind == "article"}
    replied = {key for kind, key in threads if kind == "comment"}
    if threads:
        pages |= {
            article_scope(slug)
            for slug in connection.scalars(
                select(Article.slug).where(
                    or_(
                        Article.id.in_(commented),
                        Article.id.in_(select(Comment.article_id).where(Comment.id.in_(replied))),
                    )
                )
            )
        }
    # A reply changes no count; a comment approved, hidden or deleted changes its article's.
    return pages | lists_showing(connection, cards | commented)


def _scoped(written: list[Any], changed: list[Any]) -> tuple[set[tuple[str, int]], set[str]] | None:
    """The comment threads and the scopes these rows show in, or None when any page may."""
    threads: set[tuple[str, int]] = set()
    scopes: set[str] = set()
    for row, was_there in [(row, False) for row in written] + [(row, True) for row in changed]:
        thread = row.comment_thread()
        if thread is not None:
            threads.add(thread)
            continue
        named = row.edit_scopes() if was_there else None  # a row added or deleted: any page
        if named is None:
            return None
        scopes |= named
    return threads, scopes


@event.listens_for(Session, "after_flush")
def _raise_version(session: Session, _context: Any) -> None:
    # After the flush, so a newly scheduled article counts for next_due_at; the session's
    # new/dirty/deleted lists and the rows' attribute histories still describe what it wrote.
    written, changed = _public_changes(session)
    if not written and not changed:
        return
    connection = session.connection()
    _wait_for_other_changes(connection)
    scoped = _scoped(written, changed)
    if scoped is None:
        bump(connection)  # the content version is in every page's key
        return
    threads, scopes = scoped
    if threads or scopes:
        bump_scopes(connection, _resolve(connection, threads, scopes))


_HOLD = select(ContentState.id).where(ContentState.id == ROW).with_for_update()


def _wait_for_other_changes(connection: Any) -> None:
    """Which pages a change shows on is read from the database (is an article on the front?
    which tags has it?), so it must not be read while another public change is uncommitted:
    that one could move an article onto the front after this one decided it was not there.
    PostgreSQL: the content version's row is locked by every change, whole or scoped, until it
    commits, and the next one reads after it (a scheduled article falling due raises the version
    too, so an edit deciding it is not live yet is never overtaken). SQLite writes one
    transaction at a time already."""
    if connection.dialect.name == "postgresql":
        connection.execute(_HOLD)
