"""Published articles for feeds and the sitemap, read at request time (no cron)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..content_version import FEEDS
from ..extensions import db
from ..models import Article, Category, Tag, article_tags, published_filter
from ..pagecache import reads

FEED_SIZE = 30


def feed_articles(category_id: int | None = None, tag_id: int | None = None) -> list[Article]:
    reads(FEEDS)
    query = (
        select(Article)
        .options(joinedload(Article.category))
        .where(published_filter())
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(FEED_SIZE)
    )
    if category_id is not None:
        query = query.where(Article.category_id == category_id)
    if tag_id is not None:
        tagged = select(article_tags.c.article_id).where(article_tags.c.tag_id == tag_id)
        query = query.where(Article.id.in_(tagged))
    return list(db.session.scalars(query))


def used_tags() -> list[str]:
    """The slugs of tags some published article carries: the tag pages that exist."""
    carried = (
        select(article_tags.c.tag_id)
        .join(Article, Article.id == article_tags.c.article_id)
        .where(published_filter())
    )
    return list(db.session.scalars(select(Tag.slug).where(Tag.id.in_(carried)).order_by(Tag.id)))


def count_published() -> int:
    return db.session.scalar(select(func.count(Article.id)).where(published_filter())) or 0


def sitemap_articles(offset: int, limit: int) -> list[Any]:
    """(slug, published_at, updated_at) rows, oldest first so pages stay stable as news comes."""
    reads(FEEDS)
    query = (
        select(Article.slug, Article.published_at, Article.updated_at)
        .where(published_filter())
        .order_by(Article.published_at, Article.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.execute(query))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def last_changed(published_at: datetime, updated_at: datetime) -> datetime:
    """An article saved before its scheduled time last changed when it went out."""
    return max(published_at, updated_at)
