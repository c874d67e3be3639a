"""The security event log an administrator reads at /admin/: who signed in, who changed what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime
from .users import User


class SecurityEventKind(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_CREATED = "account_created"
    ROLE_CHANGED = "role_changed"
    DEACTIVATED = "deactivated"
    ACTIVATED = "activated"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event name, not a password)
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105 (an event name)
    PASSWORD_RESET = "password_reset"  # noqa: S105 (an event name): through the emailed link
    RULE_ADDED = "rule_added"
    RULE_REMOVED = "rule_removed"
    # A data subject's request, named by a keyed hash of the email (comments/personal_data.py)
    PERSONAL_DATA_FOUND = "personal_data_found"
    PERSONAL_DATA_EXPORTED = "personal_data_exported"
    PERSONAL_DATA_ERASED = "personal_data_erased"
    PERSONAL_DATA_CORRECTED = "personal_data_corrected"


class SecurityEvent(PrivateContent, db.Model):  # type: ignore[name-defined]
    """One event. `actor`: who did it (None: the command line or nobody signed in); `account`:
    the staff account it concerns. `detail` never holds a password, and for a failed sign-in on
    an unknown address only a short keyed hash of what was typed (security_log.py)."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise_on_sql")
    account: Mapped[User | None] = relationship(foreign_keys=[account_id], lazy="raise_on_sql")
