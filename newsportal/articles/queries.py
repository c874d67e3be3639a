"""Read side: what readers and editors see. Each list is one query plus, when paginated, a
count that stops at 10,000 (pagination.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Article, ArticleStatus, Category, Tag, article_tags, published_filter
from ..pagination import capped_paginate
from ..text import utcnow, vi_sort_key

EDITOR_STATES = ("draft", "scheduled", "published")


def categories() -> list[Category]:
    """The menu; read once per request however many times a page asks."""
    if "categories" not in g:
        found = db.session.scalars(select(Category))
        g.categories = sorted(found, key=lambda c: (c.position, vi_sort_key(c.name)))
    return list(g.categories)


def _published(now: datetime | None = None) -> Select:
    return (
        select(Article)
        .options(joinedload(Article.category))
        .where(published_filter(now))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def latest(page: int, per_page: int) -> Pagination:
    return capped_paginate(_published(), page, per_page)


def in_category(category: Category, page: int, per_page: int) -> Pagination:
    query = _published().where(Article.category_id == category.id)
    return capped_paginate(query, page, per_page)


def related(article: Article, limit: int = 4) -> list[Article]:
    """The newest other articles of the same category (none without a category)."""
    if article.category_id is None:
        return []
    query = _published().where(Article.category_id == article.category_id, Article.id != article.id)
    return list(db.session.scalars(query.limit(limit)))


def bylines() -> list[str]:
    """Every byline on a published article, for finding an author page by its slug."""
    query = select(Article.byline).where(published_filter(), Article.byline != "").distinct()
    return list(db.session.scalars(query))


def by_byline(names: list[str], page: int, per_page: int) -> Pagination:
    query = _published().where(Article.byline.in_(names))
    return capped_paginate(query, page, per_page)


def published_article(slug: str) -> Article | None:
    query = _published().options(selectinload(Article.tags)).where(Article.slug == slug)
    return db.session.scalar(query)


TAG_SUGGESTIONS = 300


def tag_suggestions(limit: int = TAG_SUGGESTIONS) -> list[str]:
    """The most used tags' names, in dictionary order: what the tags field suggests."""
    query = (
        select(Tag.name)
        .join(article_tags, article_tags.c.tag_id == Tag.id)
        .group_by(Tag.id, Tag.name)
        .order_by(func.count().desc(), Tag.id)
        .limit(limit)
    )
    return sorted(db.session.scalars(query), key=vi_sort_key)


def tag_by_slug(slug: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.slug == slug))


def tagged(tag: Tag, page: int, per_page: int) -> Pagination:
    """A tag's page: its published articles, newest first."""
    ids = select(article_tags.c.article_id).where(article_tags.c.tag_id == tag.id)
    return capped_paginate(_published().where(Article.id.in_(ids)), page, per_page)


def menu() -> list[Any]:
    """The categories for the menu: read with the content version on reader pages."""
    return list(g.menu) if "menu" in g else categories()


def category_by_slug(slug: str) -> Any:
    """From the menu's list, which the page reads anyway: a Category or a MenuItem."""
    return next((c for c in menu() if c.slug == slug), None)


def editor_list(state: str | None, category_id: int | None, page: int, per_page: int) -> Pagination:
    query = (
        select(Article)
        .options(joinedload(Article.category))
        .order_by(Article.updated_at.desc(), Article.id.desc())
    )
    now = utcnow()
    if state == "draft":
        query = query.where(
            (Article.status == ArticleStatus.DRAFT) | Article.published_at.is_(None)
        )
    elif state == "scheduled":
        query = query.where(Article.status == ArticleStatus.PUBLISHED, Article.published_at > now)
    elif state == "published":
        query = query.where(published_filter(now))
    if category_id:
        query = query.where(Article.category_id == category_id)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)
