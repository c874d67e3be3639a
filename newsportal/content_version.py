"""The version of public content, raised in the same transaction as every change readers see.

A session hook notices changes to the public models (those declaring `PublicContent`, see
models/public.py) at each flush and raises the version in that transaction: the page cache is
keyed by it, so no server serves a page older than the data, and nothing needs to remember to
invalidate it. A new pending comment is not a public change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import event, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .extensions import db
from .models import Article, ArticleStatus, Category, ContentState
from .models.public import PublicContent
from .text import utcnow, vi_sort_key

ROW = 1


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


# Built once: this runs on every shared page view, cache hits included, so it reads one row.
_VERSION = select(ContentState.version, ContentState.changed_at, ContentState.next_due_at).where(
    ContentState.id == ROW
)
# The menu with its version, in one statement (one snapshot): read only when the version moved.
_WITH_MENU = (
    select(
        ContentState.version,
        ContentState.changed_at,
        ContentState.next_due_at,
        Category.id,
        Category.name,
        Category.slug,
        Category.position,
    )
    .select_from(ContentState)
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


def peek(now: datetime | None = None) -> State | None:
    """The current version, or None when it must first be raised (missing, or an article due).

    A bare connection, no session: this runs on every shared page view, cache hits included.
    """
    latest: _LatestMenu = current_app.extensions.setdefault(MENUS, _LatestMenu())
    moment = now or utcnow()
    with db.engine.connect() as connection:
        row = connection.execute(_VERSION).first()
        if row is None or _due(row.next_due_at, moment):
            return None
        known = latest.entry
        if known is not None and known[0] == (row.version, row.changed_at):
            return State(row.version, row.changed_at, known[1])
        rows = connection.execute(_WITH_MENU).all()
    if not rows or _due(rows[0].next_due_at, moment):  # changed since the first read
        return None
    items = tuple((r.id, r.name, r.slug, r.position) for r in rows if r.id is not None)
    state = State(rows[0].version, rows[0].changed_at, _menu(items))
    latest.entry = (state.version, state.changed_at), state.menu
    return state


def _due(next_due_at: datetime | None, now: datetime) -> bool:
    return next_due_at is not None and next_due_at <= now


def _menu(items: tuple[tuple[int, str, str, int], ...]) -> tuple[MenuItem, ...]:
    menu = [MenuItem(*item) for item in items]
    return tuple(sorted(menu, key=lambda item: (item.position, vi_sort_key(item.name))))


def current(now: datetime | None = None) -> State:
    """The version readers' pages are keyed by; one query, or a bump when an article fell due."""
    moment = now or utcnow()
    state = peek(moment)
    if state is None:
        # A transaction of its own, committed at once: the request's session is the view's, and
        # a GET must not commit whatever it holds.
        with db.engine.begin() as connection:
            bump(connection, moment)
        state = peek(moment)
    assert state is not None  # noqa: S101 (just raised it, in a committed transaction)
    return state


def _touches_public_content(session: Session) -> bool:
    """Whether this flush wrote rows readers see: the models say so (models/public.py)."""
    if any(isinstance(obj, PublicContent) and obj.public_when_added() for obj in session.new):
        return True
    if any(isinstance(obj, PublicContent) for obj in session.deleted):
        return True
    return any(isinstance(obj, PublicContent) and session.is_modified(obj) for obj in session.dirty)


@event.listens_for(Session, "after_flush")
def _raise_version(session: Session, _context: Any) -> None:
    # After the flush, so a newly scheduled article counts for next_due_at; the session's
    # new/dirty/deleted lists still describe what this flush wrote.
    if _touches_public_content(session):
        bump(session.connection())
