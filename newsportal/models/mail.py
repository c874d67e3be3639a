"""The outbox: every email the site sends is a row here first, written in the transaction of the
change that causes it, and sent afterwards by `flask mail send` (newsportal/mail/outbox.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime


class MailKind:
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of email, not a password)
    MODERATION_DIGEST = "moderation_digest"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_SENT_BACK = "review_sent_back"
    COMMENT_APPROVED = "comment_approved"
    COMMENT_ANSWERED = "comment_answered"
    # Sent to a reader's unverified address: capped per address and day, with an unsubscribe.
    READER = (COMMENT_APPROVED, COMMENT_ANSWERED)


class OutboxMessage(PrivateContent, db.Model):  # type: ignore[name-defined]
    """One email. `recipient_hash`: a keyed hash of the address (counted for the daily cap);
    `ref`: what it is about (`comment:12`), so an undo can cancel it; `claimed_until`: a
    sender's lease while it talks to the server; `sent_at` set once the server took it."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_due", "sent_at", "send_after"),
        Index("ix_mail_outbox_recipient_hash", "recipient_hash", "created_at"),
        Index("ix_mail_outbox_ref", "ref"),
        Index("ix_mail_outbox_recipient", "recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_hash: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    ref: Mapped[str] = mapped_column(String(40), default="")
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
