"""Typed SQLAlchemy 2.x models, one module per feature. Times are stored as UTC and always
come back timezone-aware (`types.UTCDateTime`)."""

from .articles import Article, ArticleRevision, ArticleStatus, Category, published_filter
from .comments import (
    Comment,
    CommentAudit,
    CommentReply,
    CommentStatus,
    ModerationRule,
    RuleKind,
)
from .media import Image
from .search import SearchDocument
from .types import UTCDateTime
from .users import Role, User

__all__ = [
    "Article", "ArticleRevision", "ArticleStatus", "Category", "Comment", "CommentAudit",
    "CommentReply", "CommentStatus", "Image", "ModerationRule", "Role", "RuleKind",
    "SearchDocument", "User", "UTCDateTime", "published_filter",
]  # fmt: skip
