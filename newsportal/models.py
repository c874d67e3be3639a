"""Typed SQLAlchemy 2.x models. Times are stored as UTC and always come back timezone-aware."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .text import as_utc, utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out, on SQLite (naive storage) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Category(db.Model):  # type: ignore[name-defined]
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Article(db.Model):  # type: ignore[name-defined]
    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published_at", "status", "published_at"),
        Index("ix_articles_category_status_published_at", "category_id", "status", "published_at"),
        Index("ix_articles_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
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

    category: Mapped[Category | None] = relationship(lazy="raise_on_sql")
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article",
        order_by="ArticleRevision.id.desc()",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )

    @property
    def ever_published(self) -> bool:
        """Once readers may have seen it, its URL stays put."""
        return self.first_published_at is not None or self.state() == "published"

    def remember_if_live(self) -> None:
        """Record the first time readers could see it (freezes the slug)."""
        if self.first_published_at is None and self.state() == "published":
            self.first_published_at = self.published_at

    def state(self, now: datetime | None = None) -> str:
        """draft | scheduled | published, decided at read time (no cron)."""
        if self.status != ArticleStatus.PUBLISHED or self.published_at is None:
            return "draft"
        return "published" if self.published_at <= (now or utcnow()) else "scheduled"

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status}>"


class ArticleRevision(db.Model):  # type: ignore[name-defined]
    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    lead: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(200), default="")

    article: Mapped[Article] = relationship(back_populates="revisions", lazy="raise_on_sql")
    user: Mapped[User | None] = relationship(lazy="raise_on_sql")


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


class Comment(db.Model):  # type: ignore[name-defined]
    __tablename__ = "comments"
    __table_args__ = (
        # approved comments of an article in time order; the queue oldest first
        Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING)
    flags: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip_hash: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(200), default="")

    article: Mapped[Article] = relationship(lazy="raise_on_sql")
    moderated_by: Mapped[User | None] = relationship(lazy="raise_on_sql")
    replies: Mapped[list[CommentReply]] = relationship(
        back_populates="comment",
        order_by="CommentReply.id",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )

    @property
    def flag_list(self) -> list[str]:
        return [flag for flag in self.flags.split("|") if flag]


class CommentReply(db.Model):  # type: ignore[name-defined]
    """The editorial board's answer under a comment; one level only."""

    __tablename__ = "comment_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="replies", lazy="raise_on_sql")
    author: Mapped[User | None] = relationship(lazy="raise_on_sql")


class CommentAudit(db.Model):  # type: ignore[name-defined]
    """Every status change of a comment: who (None = the system), from, to, why, when."""

    __tablename__ = "comment_audit"
    __table_args__ = (Index("ix_comment_audit_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise_on_sql")
    comment: Mapped[Comment] = relationship(lazy="raise_on_sql")


class RuleKind(StrEnum):
    BANNED = "banned"
    SUSPECT = "suspect"
    BLOCKED_EMAIL = "blocked_email"
    BLOCKED_IP = "blocked_ip"


class ModerationRule(db.Model):  # type: ignore[name-defined]
    """Banned / suspect terms and blocked addresses, managed by admins."""

    __tablename__ = "moderation_rules"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


def published_filter(now: datetime | None = None) -> Any:
    """SQL condition for what readers may see right now."""
    moment = now or utcnow()
    return (Article.status == ArticleStatus.PUBLISHED) & (Article.published_at <= moment)


__all__ = [
    "Article", "ArticleRevision", "ArticleStatus", "Category", "Comment", "CommentAudit",
    "CommentReply", "CommentStatus", "ModerationRule", "Role", "RuleKind", "User", "UTCDateTime",
    "published_filter",
]  # fmt: skip
