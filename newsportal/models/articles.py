"""Articles, their categories and revisions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, ForeignKey, Index, String, Table, Text, inspect, true
from sqlalchemy.orm import (
    Mapped,
    foreign,
    mapped_column,
    relationship,
    selectinload,
    synonym,
    validates,
)

from ..extensions import db
from ..text import utcnow, vi_fold, vi_sort_key
from .content import Content, Revision
from .media import Image
from .public import FEEDS, PublicContent, article_scope, cards_of
from .types import UTCDateTime


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Category(PublicContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tag(PublicContent, db.Model):  # type: ignore[name-defined]
    """A thẻ: "Lúa" and "LÚA" are one tag (`key`); "lúa" and "lụa" are two, with two slugs."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))  # as first typed, NFC
    key: Mapped[str] = mapped_column(String(120), unique=True)  # the name case-folded (x3 at most)
    slug: Mapped[str] = mapped_column(String(60), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


article_tags = Table(
    "article_tags",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_tags_tag_id", "tag_id"),  # a tag's page
)


# What an edit may change and still show only on the article's own pages, its cards in the lists
# (the lead) and the feeds and sitemaps (the lead, the update time). Other pages show an article
# by its title, picture, category and date only (related articles, the sidebar), so a change to
# any of those, or to whether it is public, is a change to every page.
TEXT_FIELDS = frozenset(
    {"lead", "body_md", "body_html", "updated_at", "updated_by_id", "featured_image_caption"}
)


class Article(PublicContent, Content, db.Model):  # type: ignore[name-defined]
    __tablename__ = "articles"
    kind = "article"
    reader_endpoint = "reader.article"
    schedulable = True
    __table_args__ = (
        Index("ix_articles_status_published_at", "status", "published_at"),
        Index("ix_articles_category_status_published_at", "category_id", "status", "published_at"),
        Index("ix_articles_updated_at", "updated_at"),
        Index("ix_articles_byline", "byline"),  # author pages
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # The title as the desk's list searches it ("dong thap" finds "Đồng Tháp"); kept by `_fold`.
    title_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    lead: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(120), default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    status: Mapped[str] = mapped_column(String(20), default=ArticleStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when it is known readers could see it; the slug is frozen from then on.
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    comments_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Shown on cards and share cards; alt text is required whenever an image is set.
    featured_image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id"))
    featured_image_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    featured_image_caption: Mapped[str] = mapped_column(String(300), default="", server_default="")

    category: Mapped[Category | None] = relationship(lazy="raise_on_sql")
    featured_image: Mapped[Image | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags)

    @validates("title")
    def _fold(self, _key: str, title: str) -> str:
        """Every writer sets the title through the ORM (the bulk writer reads the row from it)."""
        self.title_folded = vi_fold(title)
        return title

    def sorted_tags(self) -> list[Tag]:
        """In dictionary order, the same on every database."""
        return sorted(self.tags, key=lambda tag: vi_sort_key(tag.name))

    def search_words(self) -> str:
        return " ".join(tag.name for tag in self.sorted_tags())

    @classmethod
    def search_loads(cls) -> tuple[Any, ...]:
        return (selectinload(cls.tags),)

    def edit_scopes(self) -> set[str] | None:
        attributes: Any = inspect(self).attrs
        changed = {attr.key for attr in attributes if attr.history.has_changes()}
        if changed & {"status", "published_at"}:
            return None  # it appears, goes, or moves in every list: every page
        if not self.is_live():
            return set()  # a draft or a scheduled article: no reader sees it before it is due
        if changed <= TEXT_FIELDS:
            return {article_scope(self.slug), cards_of(self.id), FEEDS}
        return None

    def is_live(self) -> bool:
        return self.state() == "published"

    def went_live_at(self) -> datetime | None:
        return self.published_at

    def show_from(self, at: datetime) -> None:
        self.published_at = at

    def visible_from(self) -> datetime | None:
        """Searchable from its publication time (a scheduled one too), or not at all."""
        if self.status != ArticleStatus.PUBLISHED:
            return None
        return self.published_at

    def state(self, now: datetime | None = None) -> str:
        """draft | scheduled | published, decided at read time (no cron)."""
        if self.status != ArticleStatus.PUBLISHED or self.published_at is None:
            return "draft"
        return "published" if self.published_at <= (now or utcnow()) else "scheduled"

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status}>"


class ArticleRevision(Revision):
    __mapper_args__ = {"polymorphic_identity": "article"}

    article_id = synonym("content_id")
    article: Mapped[Article] = relationship(
        primaryjoin=lambda: Article.id == foreign(Revision.content_id), lazy="raise_on_sql"
    )


def published_filter(now: datetime | ColumnElement[Any] | None = None) -> Any:
    """SQL condition for what readers may see right now (or at `now`, a time or a parameter)."""
    moment = utcnow() if now is None else now
    return (Article.status == ArticleStatus.PUBLISHED) & (Article.published_at <= moment)
