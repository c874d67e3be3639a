"""Moderation: status changes with their audit rows, rules, official replies, retention."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, or_, select
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
    ModerationRule,
    RuleKind,
    SecurityEventKind,
)
from ..pagination import ReadAheadPage
from ..spreadsheet import safe_cell as _csv_safe
from ..text import clean_line, nfc, utcnow
from . import retention
from .services import ip_hash

ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


@dataclass(frozen=True)
class Change:
    changed: int
    article_ids: set[int]


def set_status(
    comment_ids: Iterable[int], action: str, actor_id: int | None, reason: str = ""
) -> Change:
    """Approve, reject or mark as spam, with one audit row per real change, in one transaction.

    Idempotent: a comment already in the target status is left alone and gets no audit row.
    """
    if action not in ACTIONS:
        raise FieldError("action", "action")
    target = ACTIONS[action]
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        raise FieldError("ids", "none")
    comments = db.session.scalars(
        select(Comment).where(Comment.id.in_(ids), Comment.status != target)
    ).all()
    now = utcnow()
    reason = clean_line(reason)[:200]
    for comment in comments:
        db.session.add(
            CommentAudit(
                comment_id=comment.id,
                actor_id=actor_id,
                from_status=comment.status,
                to_status=target,
                reason=reason,
                created_at=now,
            )
        )
        comment.status = target
        comment.moderated_by_id = actor_id
        comment.moderated_at = now
        comment.reason = reason
    if target == CommentStatus.APPROVED:
        mail.comment_approved(comments, now)  # held until the undo window has closed
    db.session.commit()
    return Change(len(comments), {c.article_id for c in comments})


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
        query = (
            select(
                Comment,
                _earlier(CommentStatus.APPROVED),
                _earlier(CommentStatus.REJECTED),
                _earlier(CommentStatus.SPAM),
            )
            .options(joinedload(Comment.article))
            .join(ids, Comment.id == ids.c.id)
            .order_by(*order)
        )
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


def status_counts() -> dict[str, int]:
    """Comments per status, each counted up to COUNT_CAP + 1, in one query."""
    columns = [
        select(func.count())
        .select_from(select(Comment.id).where(Comment.status == s).limit(COUNT_CAP + 1).subquery())
        .scalar_subquery()
        .label(s.value)
        for s in CommentStatus
    ]
    row = db.session.execute(select(*columns)).one()
    return {s.value: int(getattr(row, s.value)) for s in CommentStatus}


def audit_log(status: str | None, actor_id: int | None, page: int, per_page: int) -> Pagination:
    query = (
        select(CommentAudit)
        .options(joinedload(CommentAudit.actor), joinedload(CommentAudit.comment))
        .order_by(CommentAudit.created_at.desc(), CommentAudit.id.desc())
    )
    if status:
        query = query.where(CommentAudit.to_status == status)
    if actor_id == 0:
        query = query.where(CommentAudit.actor_id.is_(None))
    elif actor_id:
        query = query.where(CommentAudit.actor_id == actor_id)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)


def audit_csv(status: str | None, actor_id: int | None) -> str:
    """The whole filtered log as CSV; no commenter email in it, only the comment number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "comment_id", "article_id", "from", "to", "by", "reason"])
    page = 1
    while True:
        chunk = audit_log(status, actor_id, page, 500)
        for row in chunk.items:
            writer.writerow(
                [
                    _csv_safe(cell)
                    for cell in (
                        row.created_at.isoformat(),
                        row.comment_id,
                        row.comment.article_id,
                        row.from_status,
                        row.to_status,
                        row.actor.email if row.actor else "system",
                        row.reason,
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
