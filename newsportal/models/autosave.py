"""What an editor was typing, kept every few seconds: one row per user and item, overwritten,
never a revision. Readers never see it, so writing it leaves every cached page as it was."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime

NEW_ITEM = 0  # content_id of a draft not saved yet: the "new article" form


class Autosave(PrivateContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "autosaves"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "content_id", name="uq_autosaves_user_kind_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # Revision.kind: "article", "page"
    content_id: Mapped[int]  # NEW_ITEM before the first save
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The edit form's fields by name, as typed; each no longer than the form allows.
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
