"""What readers see of comments: approved ones, plus the reader's own pending ones."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..content_version import article_scope
from ..extensions import db
from ..models import Article, Comment, CommentReply, CommentStatus
from ..pagecache import reads


def for_article(article: Article, own_ids: Iterable[int] = ()) -> list[Comment]:
    """One query for the comments and their replies, whatever the number."""
    reads(article_scope(article.slug))
    own = [i for i in own_ids if isinstance(i, int)][:50]
    visible = Comment.status == CommentStatus.APPROVED
    if own:
        visible = or_(visible, (Comment.id.in_(own)) & (Comment.status == CommentStatus.PENDING))
    return list(
        db.session.scalars(
            select(Comment)
            .options(joinedload(Comment.replies).joinedload(CommentReply.author))
            .where(Comment.article_id == article.id, visible)
            .order_by(Comment.created_at, Comment.id)
        ).unique()
    )
