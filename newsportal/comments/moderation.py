"""Moderation: status changes with their audit rows, rules, official replies, retention."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import markup
from ..extensions import db
from ..models import (
    Article,
    Comment,
    CommentAudit,
    CommentReply,
    CommentStatus,
    ModerationRule,
    RuleKind,
)
from ..text import clean_line, nfc, utcnow

ACTIONS = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


class ModerationError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


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
        raise ModerationError("action")
    target = ACTIONS[action]
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        raise ModerationError("none")
    comments = db.session.scalars(
        select(Comment).where(Comment.id.in_(ids), Comment.status != target)
    ).all()
    now = utcnow()
    reason = clean_line(reason)[:200]
    for comment in comments:
        db.session.add(
            CommentAudit(comment_id=comment.id, actor_id=actor_id, from_status=comment.status,
                         to_status=target, reason=reason, created_at=now)
        )  # fmt: skip
        comment.status = target
        comment.moderated_by_id = actor_id
        comment.moderated_at = now
        comment.reason = reason
    db.session.commit()
    return Change(len(comments), {c.article_id for c in comments})


def queue(status: str, article_id: int | None, search: str, page: int, per_page: int) -> Pagination:
    query = (
        select(Comment)
        .options(joinedload(Comment.article), selectinload(Comment.replies))
        .where(Comment.status == status)
    )
    if article_id:
        query = query.where(Comment.article_id == article_id)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(
            or_(func.lower(Comment.body).like(like), func.lower(Comment.name).like(like),
                func.lower(Comment.email).like(like))
        )  # fmt: skip
    # Pending: oldest first, so nobody waits longest; other lists: most recent first.
    if status == CommentStatus.PENDING:
        query = query.order_by(Comment.created_at, Comment.id)
    else:
        query = query.order_by(Comment.created_at.desc(), Comment.id.desc())
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(Comment.status, func.count()).group_by(Comment.status))
    counts = {status.value: 0 for status in CommentStatus}
    counts.update({status: n for status, n in rows})
    return counts


def pending_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.status == CommentStatus.PENDING)
        )
        or 0
    )


def history(emails: Iterable[str]) -> dict[str, dict[str, int]]:
    """Earlier comments by the same addresses, counted per status, in one query."""
    wanted = sorted(set(emails))
    result: dict[str, dict[str, int]] = {email: {} for email in wanted}
    if not wanted:
        return result
    rows = db.session.execute(
        select(Comment.email, Comment.status, func.count())
        .where(Comment.email.in_(wanted))
        .group_by(Comment.email, Comment.status)
    )
    for email, status, n in rows:
        result[email][status] = n
    return result


def articles_with_comments() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Article.id, Article.title)
        .where(Article.id.in_(select(Comment.article_id).distinct()))
        .order_by(Article.title)
    )
    return [(row.id, row.title) for row in rows]


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
            writer.writerow([
                row.created_at.isoformat(), row.comment_id, row.comment.article_id,
                row.from_status, row.to_status, row.actor.email if row.actor else "system",
                _csv_safe(row.reason),
            ])  # fmt: skip
        if not chunk.has_next:
            return out.getvalue()
        page += 1


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; prefix them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def add_rule(kind: str, value: str, actor_id: int | None, secret: str = "") -> ModerationRule:
    if kind not in set(RuleKind):
        raise ModerationError("kind")
    value = clean_line(value)
    if kind == RuleKind.BLOCKED_EMAIL:
        value = value.lower()
    elif kind == RuleKind.BLOCKED_IP:
        from .services import ip_hash

        # Moderators never see raw addresses; an admin may paste one and we keep only its HMAC.
        value = value.lower() if len(value) == 64 else ip_hash(value, secret)
    if not value or len(value) > 254:
        raise ModerationError("value")
    exists = db.session.scalar(
        select(ModerationRule).where(ModerationRule.kind == kind, ModerationRule.value == value)
    )
    if exists is not None:
        return exists
    rule = ModerationRule(kind=kind, value=value, created_by_id=actor_id)
    db.session.add(rule)
    db.session.commit()
    return rule


def delete_rule(rule_id: int) -> None:
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
        raise ModerationError("not_approved")
    text = nfc(body).strip()
    if len(text) < 2:
        raise ModerationError("value")
    answer = CommentReply(
        comment_id=comment.id, author_id=author_id, body=text, body_html=markup.render_comment(text)
    )
    db.session.add(answer)
    db.session.commit()
    return answer


def purge(older_than_days: int) -> int:
    """Delete spam and rejected comments older than N days; approved and pending stay."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = db.session.execute(
        delete(Comment)
        .where(
            Comment.status.in_([CommentStatus.SPAM, CommentStatus.REJECTED]),
            Comment.created_at < cutoff,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
