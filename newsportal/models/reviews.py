"""Items a writer has sent for review, and those sent back: one row per item until it is
published. The steps themselves are revisions (submit, send_back, approve) with who and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import utcnow
from .content import Revision
from .public import PrivateContent
from .types import UTCDateTime
from .users import User


class ReviewState(StrEnum):
    PENDING = "pending"  # "Chờ duyệt": the editors have it
    RETURNED = "returned"  # "Trả lại": back with the writer, with the editor's note


class Review(PrivateContent, db.Model):  # type: ignore[name-defined]
    """Private: submitting or sending back changes nothing readers see. `kind` and `content_id`
    name the item as a revision does."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("kind", "content_id", name="uq_reviews_kind_content_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_id: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.PENDING)
    # The editor's note when it was sent back ("Ý kiến biên tập").
    note: Mapped[str] = mapped_column(Text, default="")
    # A published item's edit, kept as a revision so readers go on seeing the published text;
    # None when the writer's text is the item itself (a draft).
    pending_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    writer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pending_revision: Mapped[Revision | None] = relationship(lazy="raise_on_sql")
    writer: Mapped[User | None] = relationship(foreign_keys=[writer_id], lazy="raise_on_sql")

    @property
    def waiting(self) -> bool:
        return self.state == ReviewState.PENDING
