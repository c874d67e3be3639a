"""Moderation: status changes with their audit rows, rules, official replies, retention."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from .. import markup, security_log
from ..errors import FieldError
from ..extensions import db
from ..mail import services as mail
from ..models import (
    Comment,
    CommentAudit,
    CommentReply,
    CommentStatus,
    ModerationAction,
    ModerationRule,
    RuleKind,
    SecurityEventKind,
)
from ..pagination import ReadAheadPage
from ..spreadsheet import safe_cell as _csv_safe
from ..text import as_utc, clean_line, iso_time, nfc, utcnow
from . import retention
from .services import ip_hash

ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


UNDO = "undo"  # the kind of an action that undid another


@dataclass(frozen=True)
class Change:
    changed: int
    article_ids: set[int]
    action_id: int | None = None  # None: nothing changed, so there is nothing to undo


def needs_confirmation(comment: Comment) -> bool:
    """Rejected by the banned-term rule: approving it is asked once more."""
    return comment.status == CommentStatus.REJECTED and any(
        flag.startswith("banned:") for flag in comment.flag_list
    )


def set_status(
    comment_ids: Iterable[int],
    action: str,
    actor_id: int | None,
    reason: str = "",
    *,
    ask_banned: bool = False,
) -> Change:
    """Approve, reject or mark as spam, with one audit row per real change, in one transaction.

    Idempotent: a comment already in the target status is left alone and gets no audit row.
    The changes form one action (what an undo puts back). With `ask_banned`, approving a comment
    the banned-term rule rejected changes nothing and raises FieldError("confirm", "banned",
    ids=[...]) naming those comments, so the desk can ask once more.
    """
    if action not in ACTIONS:
        raise FieldError("action", "action")
    target = ACTIONS[action]
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        raise FieldError("ids", "none")
    comments = db.session.scalars(
        select(Comment).where(Comment.id.in_(ids), Comment.status != target).order_by(Comment.id)
    ).all()
    if ask_banned and target == CommentStatus.APPROVED:
        held = [c.id for c in comments if needs_confirmation(c)]
        if held:
            raise FieldError("confirm", "banned", ids=held)
    if not comments:
        return Change(0, set())
    now = utcnow()
    reason = clean_line(reason)[:200]
    step = ModerationAction(actor_id=actor_id, kind=action, count=len(comments), created_at=now)
    db.session.add(step)
    db.session.flush()  # its id, for the audit rows
    for comment in comments:
        db.session.add(
            CommentAudit(
                comment_id=comment.id,
                actor_id=actor_id,
                from_status=comment.status,
                to_status=target,
                reason=reason,
                created_at=now,
                action_id=step.id,
                prior_reason=comment.reason,
                prior_moderated_by_id=comment.moderated_by_id,
                prior_moderated_at=comment.moderated_at,
            )
        )
        comment.status = target
        comment.moderated_by_id = actor_id
        comment.moderated_at = now
        comment.reason = reason
    if target == CommentStatus.APPROVED:
        mail.comment_approved(comments, now)  # held until the undo window has closed
    db.session.commit()
    return Change(len(comments), {c.article_id for c in comments}, step.id)


# Statement parts built once per process, not per request (the queue and its undo banner).
@cache
def _not_undone() -> Any:
    later = aliased(ModerationAction)
    return ~exists().where(later.undoes_id == ModerationAction.id)


def undoable(action_id: int, actor_id: int, window: timedelta) -> ModerationAction | None:
    """This moderator's action if it can still be undone (in its window, not yet), in one query."""
    return db.session.scalar(
        select(ModerationAction).where(
            ModerationAction.id == action_id,
            ModerationAction.actor_id == actor_id,
            ModerationAction.kind != UNDO,
            ModerationAction.created_at > utcnow() - window,
            _not_undone(),
        )
    )


def undoable_ids(action_ids: Iterable[int], window: timedelta) -> set[int]:
    """Which of these actions can still be undone by someone (the audit log's undo buttons)."""
    ids = list(action_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(ModerationAction.id).where(
                ModerationAction.id.in_(ids),
                ModerationAction.kind != UNDO,
                ModerationAction.created_at > utcnow() - window,
                _not_undone(),
            )
        )
    )


@dataclass(frozen=True)
class Undone:
    kind: str  # what was undone: approve, reject or spam
    restored: int
    skipped: int  # changed again since the action: left as they are


def undo(action_id: int, actor_id: int, is_admin: bool, window: timedelta) -> Undone:
    """Put each comment of one action back as it was (status, reason, moderator, time).

    Only its moderator or an admin, only within `window`, only once. A comment changed again
    since (any later audit row) is left as it is: the undo restores the others and says how
    many it skipped; when none is left as the action left it, nothing happens. The undo is an
    action of its own with its audit rows. Readers' pages follow through the content version.
    """
    action = db.session.get(ModerationAction, action_id)
    if action is None or action.kind == UNDO:
        raise FieldError("action", "missing")
    if action.actor_id != actor_id and not is_admin:
        raise FieldError("action", "not_yours")
    if as_utc(action.created_at) <= utcnow() - window:
        raise FieldError("action", "expired")
    if db.session.scalar(select(exists().where(ModerationAction.undoes_id == action.id))):
        raise FieldError("action", "undone")
    later = aliased(CommentAudit)
    rows = db.session.execute(
        select(CommentAudit, Comment)
        .join(Comment, Comment.id == CommentAudit.comment_id)
        .where(
            CommentAudit.action_id == action.id,
            Comment.status == CommentAudit.to_status,
            ~exists().where(
                later.comment_id == CommentAudit.comment_id, later.id > CommentAudit.id
            ),
        )
        .order_by(CommentAudit.id)
    ).all()
    if not rows:
        raise FieldError("action", "changed")
    now = utcnow()
    step = ModerationAction(
        actor_id=actor_id, kind=UNDO, count=len(rows), created_at=now, undoes_id=action.id
    )
    db.session.add(step)
    try:
        db.session.flush()  # the unique undoes_id: a second undo from another tab stops here
    except IntegrityError:
        db.session.rollback()
        raise FieldError("action", "undone") from None
    for audit, comment in rows:
        db.session.add(
            CommentAudit(
                comment_id=comment.id,
                actor_id=actor_id,
                from_status=comment.status,
                to_status=audit.from_status,
                reason=audit.prior_reason,
                created_at=now,
                action_id=step.id,
                prior_reason=comment.reason,
                prior_moderated_by_id=comment.moderated_by_id,
                prior_moderated_at=comment.moderated_at,
            )
        )
        comment.status = audit.from_status
        comment.reason = audit.prior_reason
        comment.moderated_by_id = audit.prior_moderated_by_id
        comment.moderated_at = audit.prior_moderated_at
    _after_undo([c.id for a, c in rows if a.to_status == CommentStatus.APPROVED])
    db.session.commit()
    return Undone(action.kind, len(rows), action.count - len(rows))


def _after_undo(unapproved_ids: list[int]) -> None:
    """What else an undone approval takes back, inside the undo's transaction (no commit here).

    The one place for the email notices an approval queued (they wait for the undo window):
    the mail feature's cancel_comment_notices(unapproved_ids) is called from here.
    """
    mail.cancel_comment_notices(unapproved_ids)


COUNT_CAP = 1000  # a tab shows "1000+" past this: counting a million rows per view is waste


class QueuePage(ReadAheadPage):
    """One page of the queue, with each commenter's earlier record, in a single query.

    It reads one row more than a page to know whether another page follows, so no separate
    count runs; `known_total` (the tab's capped count) fills in the page numbers when known.
    """

    def _query_items(self) -> list[Any]:
        # The page's ids first, then their rows with the history: computed for the page's rows
        # only, never for every pending comment before a sort (a minute at a million comments).
        order = self._query_args["order"]
        ids = self.ahead(self._query_args["select"].order_by(*order)).subquery()
        query = _with_history().join(ids, Comment.id == ids.c.id).order_by(*order)
        records = []
        rows = self.keep(db.session.execute(query).unique().all())
        for comment, approved, rejected, spam in rows:
            records.append(comment)
            self.history[comment.id] = {"approved": approved, "rejected": rejected, "spam": spam}
        return records

    def _query_count(self) -> int:
        return max(self.seen, min(self._query_args["known_total"] or 0, COUNT_CAP))

    def __init__(self, **kwargs: Any) -> None:
        self.history: dict[int, dict[str, int]] = {}  # by comment: anonymised ones share nothing
        super().__init__(**kwargs)


@cache
def _with_history() -> Select[Any]:
    """Comments with their article and each commenter's earlier record (built once: a Select
    is immutable, each request's join makes a new one)."""
    return select(
        Comment,
        _earlier(CommentStatus.APPROVED),
        _earlier(CommentStatus.REJECTED),
        _earlier(CommentStatus.SPAM),
    ).options(joinedload(Comment.article))


def _earlier(status: str) -> Any:
    """How many comments this commenter has with `status`; an index lookup by email.

    An anonymised comment has no commenter: no email to match, so no record, and it is never
    counted in another's (the emptied email of all erased comments is not one person's).
    """
    other = aliased(Comment)
    return (
        select(func.count())
        .where(
            other.email == Comment.email,
            other.status == status,
            Comment.name.is_not(None),
            Comment.email != "",
        )
        .correlate(Comment)
        .scalar_subquery()
    )


def queue(
    status: str,
    article_id: int | None,
    search: str,
    page: int,
    per_page: int,
    known_total: int | None = None,
) -> QueuePage:
    query = select(Comment.id).where(Comment.status == status)
    if article_id:
        query = query.where(Comment.article_id == article_id)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(Comment.body).like(like),
                func.lower(Comment.name).like(like),
                func.lower(Comment.email).like(like),
            )
        )
    # Pending: oldest first, so nobody waits longest; other lists: most recent first.
    order: tuple[Any, ...]
    if status == CommentStatus.PENDING:
        order = (Comment.created_at, Comment.id)
    else:
        order = (Comment.created_at.desc(), Comment.id.desc())
    filtered = bool(article_id or search)
    known = None if filtered else known_total
    return QueuePage.of(query, page, per_page, False, order=order, known_total=known)


@dataclass(frozen=True)
class Marked:
    name: Markup  # empty for an anonymised comment, which the queue names by itself
    body: Markup


def flagged_terms(comment: Comment) -> list[str]:
    """The banned and suspect terms the rules found in this comment when it came in."""
    kinds = ("banned:", "suspect:")
    return [flag.split(":", 1)[1] for flag in comment.flag_list if flag.startswith(kinds)]


def marked_terms(comments: Iterable[Comment]) -> dict[int, Marked]:
    """Name and text of each flagged comment with its terms in <mark>, found by the rules' own
    matcher (so an evasion the rule saw through is marked too); others are shown as they are."""
    marked = {}
    for comment in comments:
        terms = flagged_terms(comment)
        if terms:
            name = markup.mark_text(comment.name or "", terms)  # an anonymised one has none
            marked[comment.id] = Marked(name, markup.mark_terms(comment.body_html, terms))
    return marked


def comments_by_id(ids: Iterable[int]) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .options(joinedload(Comment.article))
            .where(Comment.id.in_(list(ids)))
            .order_by(Comment.id)
        )
    )


def status_counts() -> dict[str, int]:
    """Comments per status, each counted up to COUNT_CAP + 1, in one query."""
    row = db.session.execute(_counts_statement()).one()
    return {s.value: int(getattr(row, s.value)) for s in CommentStatus}


@cache
def _counts_statement() -> Select[Any]:
    columns = [
        select(func.count())
        .select_from(select(Comment.id).where(Comment.status == s).limit(COUNT_CAP + 1).subquery())
        .scalar_subquery()
        .label(s.value)
        for s in CommentStatus
    ]
    return select(*columns)


def audit_log(status: str | None, actor_id: int | None, page: int, per_page: int) -> Pagination:
    query = (
        select(CommentAudit)
        .options(
            joinedload(CommentAudit.actor),
            joinedload(CommentAudit.action),
            joinedload(CommentAudit.comment).joinedload(Comment.article),
        )
        .order_by(CommentAudit.created_at.desc(), CommentAudit.id.desc())
    )
    if status:
        query = query.where(CommentAudit.to_status == status)
    if actor_id == 0:
        query = query.where(CommentAudit.actor_id.is_(None))
    elif actor_id:
        query = query.where(CommentAudit.actor_id == actor_id)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)


def first_words(text: str, limit: int = 80) -> str:
    """The start of a comment on one line, cut at a space, with an ellipsis if it goes on."""
    line = clean_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit + 1].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip() + "…"


CSV_COLUMNS = [
    "time", "comment_id", "comment", "article_id", "article", "from", "to", "by", "reason",
    "action", "action_id",
]  # fmt: skip


def audit_csv(
    status: str | None, actor_id: int | None, words: Mapping[str, str], system: str
) -> str:
    """The whole filtered log as CSV, in words: Vietnam time with its offset, status names and
    action names from `words` (in the reader's language), the article's title and the comment's
    first words; no commenter email in it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        chunk = audit_log(status, actor_id, page, 500)
        for row in chunk.items:
            kind = row.action.kind if row.action else ""
            writer.writerow(
                [
                    _csv_safe(cell)
                    for cell in (
                        iso_time(row.created_at),
                        row.comment_id,
                        first_words(row.comment.body),
                        row.comment.article_id,
                        row.comment.article.title,
                        words.get(row.from_status, row.from_status),
                        words.get(row.to_status, row.to_status),
                        row.actor.email if row.actor else system,
                        row.reason,
                        words.get(f"action:{kind}", kind),
                        row.action_id or "",
                    )
                ]
            )
        if not chunk.has_next:
            return out.getvalue()
        page += 1


def add_rule(kind: str, value: str, actor_id: int | None, secret: str = "") -> ModerationRule:
    if kind not in set(RuleKind):
        raise FieldError("kind", "kind")
    value = clean_line(value)
    if kind == RuleKind.BLOCKED_EMAIL:
        value = value.lower()
    elif kind == RuleKind.BLOCKED_IP:
        # Moderators never see raw addresses; an admin may paste one and we keep only its HMAC.
        value = value.lower() if len(value) == 64 else ip_hash(value, secret)
    if not value or len(value) > 254:
        raise FieldError("value", "value")
    exists = db.session.scalar(
        select(ModerationRule).where(ModerationRule.kind == kind, ModerationRule.value == value)
    )
    if exists is not None:
        return exists
    rule = ModerationRule(kind=kind, value=value, created_by_id=actor_id)
    db.session.add(rule)
    db.session.flush()  # its id, for the security log
    security_log.record(SecurityEventKind.RULE_ADDED, actor_id, None, _rule_detail(rule))
    db.session.commit()
    return rule


def _rule_detail(rule: ModerationRule) -> str:
    """Words are shown; a blocked email or address hash is named by its rule number only."""
    if rule.kind in (RuleKind.BLOCKED_EMAIL, RuleKind.BLOCKED_IP):
        return f"{rule.kind} #{rule.id}"
    return f"{rule.kind} #{rule.id}: {rule.value}"


def delete_rule(rule_id: int, actor_id: int | None = None) -> None:
    rule = db.session.get(ModerationRule, rule_id)
    if rule is None:
        return
    security_log.record(SecurityEventKind.RULE_REMOVED, actor_id, None, _rule_detail(rule))
    db.session.execute(delete(ModerationRule).where(ModerationRule.id == rule_id))
    db.session.commit()


def rules() -> list[ModerationRule]:
    return list(
        db.session.scalars(
            select(ModerationRule).order_by(ModerationRule.kind, ModerationRule.value)
        )
    )


def reply(comment: Comment, author_id: int | None, body: str) -> CommentReply:
    if comment.status != CommentStatus.APPROVED:
        raise FieldError("comment", "not_approved")
    text = nfc(body).strip()
    if len(text) < 2:
        raise FieldError("value", "value")
    answer = CommentReply(
        comment_id=comment.id, author_id=author_id, body=text, body_html=markup.render_comment(text)
    )
    db.session.add(answer)
    mail.comment_answered(comment)
    db.session.commit()
    return answer


def purge(older_than_days: int) -> int:
    """Delete spam and rejected comments older than N days; approved and pending stay."""
    return retention.purge_comments(older_than_days)
