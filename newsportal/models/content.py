"""One revision table for every kind of content, and the mixin each publishable kind implements."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime
from .users import User


class Revision(PrivateContent, db.Model):  # type: ignore[name-defined]
    """A saved title, lead and body of one article or page; `kind` says which table `content_id`
    points into (a kind's subclass names it: ArticleRevision.article_id, PageRevision.page_id)."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_kind_content_id", "kind", "content_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    lead: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    # What the editor wrote when sending it back for more work (note "send_back").
    remark: Mapped[str] = mapped_column(Text, default="", server_default="")

    user: Mapped[User | None] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {"polymorphic_on": "kind"}

    @classmethod
    def of_kind(cls, kind: str) -> type[Revision]:
        """The subclass that stores revisions of `kind`."""
        found: type[Revision] = cls.__mapper__.polymorphic_map[kind].class_
        return found


class Content:
    """Revisioned, publishable, sluggable, searchable: what the core needs from a kind's model.

    The columns stay on each model (their tables predate the core); the rules live here once.
    """

    kind: ClassVar[str]  # the revision kind and the search document kind
    reader_endpoint: ClassVar[str]  # the public URL, given `slug`
    draft_status: ClassVar[str] = "draft"
    published_status: ClassVar[str] = "published"
    # Keeps a publication time of its own (`show_from`): a future one schedules it. A kind that
    # does not is public from the moment it is published.
    schedulable: ClassVar[bool] = False

    if TYPE_CHECKING:  # the table and columns each model maps
        __table__: ClassVar[Table]
        id: Mapped[int]
        title: Mapped[str]
        slug: Mapped[str]
        lead: Mapped[str]
        body_md: Mapped[str]
        body_html: Mapped[str]
        status: Mapped[str]
        first_published_at: Mapped[datetime | None]
        updated_at: Mapped[datetime]
        updated_by_id: Mapped[int | None]

    # Abstract for mypy (every kind must say); no ABCMeta, which would clash with the models'
    # declarative metaclass.
    @abstractmethod
    def is_live(self) -> bool:
        """Readers can see it right now."""

    @abstractmethod
    def went_live_at(self) -> datetime | None:
        """When it first became (or becomes) visible, for the first-publication record."""

    @abstractmethod
    def visible_from(self) -> datetime | None:
        """From when search may find it; None while it is not public at all."""

    def show_from(self, at: datetime) -> None:
        """Keep `at` as the time readers see it from once it is published. Only a schedulable
        kind keeps one (and overrides this); the services never call it on another kind."""

    def search_words(self) -> str:
        """More words search finds the item by (an article's tags)."""
        return ""

    @classmethod
    def search_loads(cls) -> tuple[Any, ...]:
        """Loader options for what `search_words` reads, when many items are indexed at once."""
        return ()

    @property
    def ever_published(self) -> bool:
        """Once readers may have seen it, its URL stays put."""
        return self.first_published_at is not None or self.is_live()

    def remember_if_live(self) -> None:
        """Record the first time readers could see it (freezes the slug)."""
        if self.first_published_at is None and self.is_live():
            self.first_published_at = self.went_live_at()
