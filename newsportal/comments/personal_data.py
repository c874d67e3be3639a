"""A data subject's rights over their comments: find, export (JSON, CSV), correct and erase by
email.

The desk (/admin/personal-data) and the command line (`flask personal-data ...`) call these.
Each call writes a security event in its own transaction; the event names the person by 16 hex
digits of a keyed hash of the email (services.email_hash, IP_HASH_KEY), never the address, so
repeated requests of one person show as one tag and the log leaks nothing without the key.

Erasing ("delete" or "anonymise", ERASURE_MODE): delete removes the comments, their replies and
their moderation history; anonymise keeps the text (already published and answered, perhaps)
but clears the name (NULL: the page shows the label in the reader's language), email, address
hash, User-Agent and consent time, and adds an audit row saying so. Withdrawing consent is
answered by the same erasure. Rate-limit counters hold only a hash of the email and expire
within minutes. The mail outbox holds emails to the address (a notice about a comment, sent or
waiting): find and export list them, erasure deletes them.

Correcting (the right to correct) changes the name and/or email of every comment of one address,
checked as the comment form checks them; correcting to an address that already has comments
merges the two: nothing but the email ties a person's comments together.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload, selectinload

from .. import security_log
from ..config import ERASURE_MODES
from ..errors import FieldError
from ..extensions import db
from ..mail import services as mail
from ..models import Comment, CommentAudit, OutboxMessage, SecurityEventKind
from ..spreadsheet import safe_cell
from ..text import clean_line, utcnow
from .services import email_hash

MODES = ERASURE_MODES
FORMATS = ("json", "csv")
ERASED_REASON = "personal data erased"
CORRECTED_REASON = "personal data corrected"
NAME_MAX = 80  # the comment form's limits (comments/forms.CommentForm), the columns' too
EMAIL_MAX = 254
CSV_COLUMNS = [
    "record",
    "comment_id",
    "time_utc",
    "article",
    "name",
    "email",
    "status",
    "text",
    "consent_utc",
    "user_agent",
    "ip_hash",
    "by",
]


@dataclass(frozen=True)
class Held:
    """Everything stored about one email: its comments, each with its audit rows, and the
    emails to it in the outbox."""

    email: str
    comments: list[Comment]
    audits: dict[int, list[CommentAudit]]
    mails: list[OutboxMessage] = field(default_factory=list)


def normalise(email: str) -> str:
    """The address as comments store it (services._pipeline); refused if it cannot be one."""
    value = (email or "").strip().lower()
    if not value or len(value) > 254 or "@" not in value or any(c.isspace() for c in value):
        raise FieldError("email", "invalid")
    return value


def tag(email: str, secret: str) -> str:
    return f"email:{email_hash(email, secret)[:16]}"


def _load(email: str) -> Held:
    comments = list(
        db.session.scalars(
            select(Comment)
            .options(joinedload(Comment.article))
            .where(Comment.email == email)
            .order_by(Comment.created_at, Comment.id)
        )
    )
    audits: dict[int, list[CommentAudit]] = {c.id: [] for c in comments}
    if comments:
        rows = db.session.scalars(
            select(CommentAudit)
            .options(joinedload(CommentAudit.actor))
            .where(CommentAudit.comment_id.in_(list(audits)))
            .order_by(CommentAudit.created_at, CommentAudit.id)
        )
        for row in rows:
            audits[row.comment_id].append(row)
    return Held(email, comments, audits, mail.rows_for(email))


def _record(kind: SecurityEventKind, actor_id: int | None, detail: str) -> None:
    security_log.record(kind, actor_id, None, detail)
    db.session.commit()


def find(email: str, actor_id: int | None, secret: str) -> Held:
    held = _load(normalise(email))
    detail = f"{tag(held.email, secret)} comments={len(held.comments)} emails={len(held.mails)}"
    _record(SecurityEventKind.PERSONAL_DATA_FOUND, actor_id, detail)
    return held


def _time(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def as_dict(held: Held) -> dict[str, Any]:
    return {
        "email": held.email,
        "exported_at": utcnow().isoformat(),
        "comments": [
            {
                "id": c.id,
                "article": {"id": c.article_id, "title": c.article.title, "slug": c.article.slug},
                "name": c.name,
                "email": c.email,
                "body": c.body,
                "status": c.status,
                "flags": c.flag_list,
                "created_at": _time(c.created_at),
                "consent_at": _time(c.consent_at),
                "moderated_at": _time(c.moderated_at),
                "reason": c.reason,
                "user_agent": c.user_agent,
                "ip_hash": c.ip_hash,
                "audit": [
                    {
                        "at": _time(a.created_at),
                        "from": a.from_status,
                        "to": a.to_status,
                        "reason": a.reason,
                        "by": a.actor.name if a.actor else "system",
                    }
                    for a in held.audits[c.id]
                ],
            }
            for c in held.comments
        ],
        "emails": [
            {
                "to": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "kind": m.kind,
                "created_at": _time(m.created_at),
                "sent_at": _time(m.sent_at),
            }
            for m in held.mails
        ],
    }


def as_csv(held: Held) -> str:
    """A row per comment, then its audit rows; cells a spreadsheet cannot run, BOM for Excel."""
    out = io.StringIO()
    out.write(security_log.BOM)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in held.comments:
        comment_row = (
            "comment",
            c.id,
            _time(c.created_at),
            c.article.title,
            c.name,
            c.email,
            c.status,
            c.body,
            _time(c.consent_at),
            c.user_agent,
            c.ip_hash,
            "",
        )
        writer.writerow([safe_cell(cell) for cell in comment_row])
        for a in held.audits[c.id]:
            audit_row = (
                "audit",
                c.id,
                _time(a.created_at),
                "",
                "",
                "",
                f"{a.from_status or 'new'}->{a.to_status}",
                a.reason,
                "",
                "",
                "",
                a.actor.name if a.actor else "system",
            )
            writer.writerow([safe_cell(cell) for cell in audit_row])
    for m in held.mails:
        sent = f"sent {_time(m.sent_at)}" if m.sent_at else "waiting"
        mail_row = ("email", "", _time(m.created_at), m.subject, "", m.recipient, sent, m.body)
        writer.writerow([safe_cell(cell) for cell in (*mail_row, "", "", "", "system")])
    return out.getvalue()


def export(email: str, fmt: str, actor_id: int | None, secret: str) -> str:
    """The person's copy, as JSON or CSV text; the export itself is logged."""
    if fmt not in FORMATS:
        raise FieldError("format", "format")
    held = _load(normalise(email))
    text = (
        json.dumps(as_dict(held), ensure_ascii=False, indent=2) if fmt == "json" else as_csv(held)
    )
    detail = f"{tag(held.email, secret)} comments={len(held.comments)} format={fmt}"
    _record(SecurityEventKind.PERSONAL_DATA_EXPORTED, actor_id, detail)
    return text


def erase(email: str, mode: str, actor_id: int | None, secret: str) -> int:
    """Delete or anonymise every comment of this email, and log it, in one transaction."""
    if mode not in MODES:
        raise FieldError("mode", "mode")
    address = normalise(email)
    comments = list(
        db.session.scalars(
            select(Comment).options(selectinload(Comment.replies)).where(Comment.email == address)
        )
    )
    ids = [c.id for c in comments]
    now = utcnow()
    if mode == "delete" and ids:
        db.session.execute(
            delete(CommentAudit)
            .where(CommentAudit.comment_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        for comment in comments:
            db.session.delete(comment)  # replies go with it; a public one raises the version
    else:
        for comment in comments:
            comment.name = None  # the page says "Ẩn danh" / "Anonymous" (templating.commenter)
            comment.email = ""
            comment.ip_hash = ""
            comment.user_agent = ""
            comment.consent_at = None
            comment.notify = False
            db.session.add(
                CommentAudit(
                    comment_id=comment.id,
                    actor_id=actor_id,
                    from_status=comment.status,
                    to_status=comment.status,
                    reason=ERASED_REASON,
                    created_at=now,
                )
            )
    mails = mail.erase_for(address)  # waiting or sent, every email to the address goes
    detail = f"{tag(address, secret)} comments={len(ids)} emails={mails} mode={mode}"
    security_log.record(SecurityEventKind.PERSONAL_DATA_ERASED, actor_id, None, detail)
    db.session.commit()
    return len(ids)


def _new_name(name: str) -> str | None:
    value = clean_line(name)
    if len(value) > NAME_MAX:
        raise FieldError("new_name", "length", max=NAME_MAX)
    return value or None


def _new_email(email: str) -> str | None:
    """As the comment form takes an address (Email(), then lower-cased by the pipeline)."""
    value = clean_line(email).lower()
    if not value:
        return None
    if len(value) > EMAIL_MAX:
        raise FieldError("new_email", "length", max=EMAIL_MAX)
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise FieldError("new_email", "invalid") from None
    return value


def correct(email: str, new_email: str, new_name: str, actor_id: int | None, secret: str) -> int:
    """Give every comment of `email` the new address and/or name, in one transaction, logged.

    A blank new value leaves that one as it is; both blank is refused. Each comment gets an
    audit row; a changed approved comment raises the content version (its page shows the name).
    """
    address = normalise(email)
    name = _new_name(new_name)
    target = _new_email(new_email)
    if name is None and target is None:
        raise FieldError("form", "nothing")
    comments = list(db.session.scalars(select(Comment).where(Comment.email == address)))
    now = utcnow()
    for comment in comments:
        if target is not None:
            comment.email = target
        if name is not None:
            comment.name = name
        db.session.add(
            CommentAudit(
                comment_id=comment.id,
                actor_id=actor_id,
                from_status=comment.status,
                to_status=comment.status,
                reason=CORRECTED_REASON,
                created_at=now,
            )
        )
    changed = [f"name={'yes' if name is not None else 'no'}"]
    if target is not None and target != address:
        changed.append(f"to={tag(target, secret)}")  # the new address, hashed like the old
    detail = f"{tag(address, secret)} comments={len(comments)} {' '.join(changed)}"
    security_log.record(SecurityEventKind.PERSONAL_DATA_CORRECTED, actor_id, None, detail)
    db.session.commit()
    return len(comments)
