"""Typed SQLAlchemy 2.x models, one module per feature. Times are stored as UTC and always
come back timezone-aware (`types.UTCDateTime`)."""

from .articles import (
    Article,
    ArticleRevision,
    ArticleStatus,
    Category,
    Tag,
    article_tags,
    published_filter,
)
from .autosave import Autosave
from .comments import (
    BotSubmissionCount,
    Comment,
    CommentAudit,
    CommentReply,
    CommentStatus,
    ModerationAction,
    ModerationRule,
    RuleKind,
)
from .content import Content, Revision
from .mail import MailKind, OutboxMessage
from .media import Image
from .pages import (
    DocumentKind,
    LegalDocument,
    Page,
    PageBlock,
    PageRevision,
    PageStatus,
    PublishedResult,
    ReceptionMode,
    ReceptionSession,
    ReceptionStatus,
    ResultKind,
)
from .readership import ArticleView
from .reviews import Review, ReviewState
from .search import SearchDocument
from .security import SecurityEvent, SecurityEventKind
from .site import ContentState, PageScope
from .storage import StoredChunk, StoredFile
from .types import UTCDateTime
from .users import Role, User

__all__ = [
    "Article",
    "ArticleRevision",
    "ArticleStatus",
    "ArticleView",
    "Autosave",
    "Category",
    "Content",
    "Comment",
    "CommentAudit",
    "CommentReply",
    "CommentStatus",
    "ContentState",
    "DocumentKind",
    "Image",
    "MailKind",
    "OutboxMessage",
    "LegalDocument",
    "ModerationAction",
    "ModerationRule",
    "Page",
    "PageBlock",
    "PageRevision",
    "PageScope",
    "PageStatus",
    "PublishedResult",
    "ReceptionMode",
    "ReceptionSession",
    "ReceptionStatus",
    "ResultKind",
    "Review",
    "ReviewState",
    "Revision",
    "Role",
    "RuleKind",
    "SearchDocument",
    "SecurityEvent",
    "SecurityEventKind",
    "Tag",
    "article_tags",
    "StoredChunk",
    "StoredFile",
    "User",
    "UTCDateTime",
    "published_filter",
    "BotSubmissionCount",
]
