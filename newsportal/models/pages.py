"""Information pages (the complaints-and-denunciations section among them) and the structured
lists the section shows: the citizen reception schedule, published results, legal documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from ..extensions import db
from ..text import utcnow
from .content import Content, Revision
from .public import PublicContent
from .types import UTCDateTime
from .users import User


class PageStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class PageBlock(StrEnum):
    """A structured list shown under a page's body."""

    NONE = ""
    RECEPTION_SCHEDULE = "reception_schedule"
    PUBLISHED_RESULTS = "published_results"
    LEGAL_DOCUMENTS = "legal_documents"


class Page(PublicContent, Content, db.Model):  # type: ignore[name-defined]
    __tablename__ = "pages"
    kind = "page"
    reader_endpoint = "pages.page"
    __table_args__ = (Index("ix_pages_parent_position", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    lead: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PageStatus.DRAFT)
    block: Mapped[str] = mapped_column(String(40), default=PageBlock.NONE, server_default="")
    # "Thông tin mẫu - cần cơ quan xác nhận": sample text the agency must confirm before launch.
    sample_notice: Mapped[bool] = mapped_column(default=False, server_default=false())
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    # Set the first time readers could see it; the slug is frozen from then on.
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    parent: Mapped[Page | None] = relationship(remote_side=[id], lazy="raise_on_sql")
    updated_by: Mapped[User | None] = relationship(lazy="raise_on_sql")

    @property
    def is_public(self) -> bool:
        return self.status == PageStatus.PUBLISHED

    def is_live(self) -> bool:
        return self.is_public

    def went_live_at(self) -> datetime | None:
        return utcnow()

    def visible_from(self) -> datetime | None:
        """Findable while it is public, from when it first was."""
        return self.first_published_at if self.is_public else None

    def __repr__(self) -> str:
        return f"<Page {self.slug} {self.status}>"


class PageRevision(Revision):
    __mapper_args__ = {"polymorphic_identity": "page"}

    page_id = synonym("content_id")


class ReceptionMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class ReceptionStatus(StrEnum):
    SCHEDULED = "scheduled"
    POSTPONED = "postponed"  # no new date yet
    MOVED = "moved"  # the date or place changed: the note says from what
    CANCELLED = "cancelled"


class ReceptionSession(PublicContent, db.Model):  # type: ignore[name-defined]
    """One dated citizen-reception session ("Lịch tiếp công dân")."""

    __tablename__ = "reception_sessions"
    __table_args__ = (Index("ix_reception_sessions_starts_at", "starts_at"),)

    DEFAULT_LENGTH = timedelta(hours=4)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    receiver_title: Mapped[str] = mapped_column(String(200))
    receiver_name: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(300))
    mode: Mapped[str] = mapped_column(String(20), default=ReceptionMode.IN_PERSON)
    status: Mapped[str] = mapped_column(String(20), default=ReceptionStatus.SCHEDULED)
    note: Mapped[str] = mapped_column(String(500), default="")
    # iCalendar SEQUENCE: calendar apps replace an event only when it goes up.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + self.DEFAULT_LENGTH


class ResultKind(StrEnum):
    COMPLAINT = "complaint"
    DENUNCIATION = "denunciation"


class PublishedResult(PublicContent, db.Model):  # type: ignore[name-defined]
    """A complaint decision or a denunciation conclusion made public, never with the denouncer."""

    __tablename__ = "published_results"
    __table_args__ = (Index("ix_published_results_issued", "issued_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    document_number: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # sha256 of an uploaded PDF, stored as documents/<sha>.pdf by the storage backend
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    file_size: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DocumentKind(StrEnum):
    CONSTITUTION = "constitution"
    LAW = "law"
    DECREE = "decree"
    CIRCULAR = "circular"
    DECISION = "decision"


class LegalDocument(PublicContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "legal_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # Dates or wording the agency has not confirmed: the row carries a mark pointing to the one
    # "Thông tin mẫu - cần cơ quan xác nhận" note under the list, not the words in every row.
    unconfirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
