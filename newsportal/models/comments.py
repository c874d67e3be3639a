"""Reader comments, the editorial board's replies, the audit trail and moderation rules."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import utcnow
from .articles import Article
from .public import PrivateContent, PublicContent
from .types import UTCDateTime
from .users import User


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


class Comment(PublicContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "comments"
    __table_args__ = (
        # approved comments of an article in time order; the queue oldest first
        Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        # a commenter's record per status, read for each comment in the moderation queue
        Index("ix_comments_email_status", "email", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # None: erased (anonymised); the page shows "Ẩn danh" / "Anonymous" in the reader's language.
    name: Mapped[str | None] = mapped_column(String(80))
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
    # The reader ticked "email me when it is approved or answered" (mail/notices.py).
    notify: Mapped[bool] = mapped_column(default=False, server_default=false())

    article: Mapped[Article] = relationship(lazy="raise_on_sql")
    moderated_by: Mapped[User | None] = relationship(lazy="raise_on_sql")
    replies: Mapped[list[CommentReply]] = relationship(
        back_populates="comment",
        order_by="CommentReply.id",
        cascade="all, delete-orphan",
        lazy="raise_on_sql",
    )

    def public_when_added(self) -> bool:
        return self.status == CommentStatus.APPROVED  # a pending comment changes no page

    def comment_thread(self) -> tuple[str, int] | None:
        return ("article", self.article_id)

    @property
    def anonymised(self) -> bool:
        return self.name is None

    @property
    def flag_list(self) -> list[str]:
        return [flag for flag in self.flags.split("|") if flag]


class CommentReply(PublicContent, db.Model):  # type: ignore[name-defined]
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

    def comment_thread(self) -> tuple[str, int] | None:
        return ("comment", self.comment_id)


class ModerationAction(PrivateContent, db.Model):  # type: ignore[name-defined]
    """One moderator's click (one comment or a bulk), grouping its audit rows, so it can be undone.

    An undo is an action of its own pointing at the one it undid; the unique key makes a second
    undo of the same action impossible, even from two tabs at once.
    """

    __tablename__ = "moderation_actions"
    __table_args__ = (UniqueConstraint("undoes_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # approve, reject, spam or undo
    count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id"))


class CommentAudit(PrivateContent, db.Model):  # type: ignore[name-defined]
    """Every status change of a comment: who (None = the system), from, to, why, when.

    A moderator's change belongs to an action and keeps what the comment held before it (reason,
    moderator, time), which an undo puts back.
    """

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
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_actions.id", ondelete="CASCADE"), index=True
    )
    prior_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    prior_moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prior_moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise_on_sql")
    comment: Mapped[Comment] = relationship(lazy="raise_on_sql")
    action: Mapped[ModerationAction | None] = relationship(lazy="raise_on_sql")


class RuleKind(StrEnum):
    BANNED = "banned"
    SUSPECT = "suspect"
    BLOCKED_EMAIL = "blocked_email"
    BLOCKED_IP = "blocked_ip"


class ModerationRule(PrivateContent, db.Model):  # type: ignore[name-defined]
    """Banned / suspect terms and blocked addresses, managed by admins."""

    __tablename__ = "moderation_rules"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class BotSubmissionCount(PrivateContent, db.Model):  # type: ignore[name-defined]
    """Comment submissions taken for a bot's, counted per UTC day and reason and never stored.

    Two rows a day at most, however many bots send: a count the operator reads on the spam tab.
    """

    __tablename__ = "comment_bot_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
