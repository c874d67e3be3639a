"""Read side: what readers and editors see. Each list is one query plus, when paginated, a
count that stops at 10,000 (pagination.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Article, ArticleStatus, Category, Review, ReviewState, published_filter
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
    return db.session.scalar(_published().where(Article.slug == slug))


def menu() -> list[Any]:
    """The categories for the menu: read with the content version on reader pages."""
    return list(g.menu) if "menu" in g else categories()


def category_by_slug(slug: str) -> Any:
    """From the menu's list, which the page reads anyway: a Category or a MenuItem."""
    return next((c for c in menu() if c.slug == slug), None)


def editor_list(
    state: str | None,
    category_id: int | None,
    page: int,
    per_page: int,
    owner_id: int | None = None,
) -> Pagination:
    """The desk's list; `owner_id`: only the articles that account wrote (a reporter's desk)."""
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
    if owner_id is not None:
        query = query.where(Article.created_by_id == owner_id)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)


def reviews_of(articles: list[Article]) -> dict[int, Review]:
    """The review of each article on a desk list that has one, in one query."""
    ids = [a.id for a in articles]
    if not ids:
        return {}
    query = select(Review).where(Review.kind == Article.kind, Review.content_id.in_(ids))
    return {review.content_id: review for review in db.session.scalars(query)}


def review_queue() -> list[tuple[Article, Review]]:
    """Articles waiting for an editor ("Chờ duyệt"), the longest waiting first."""
    query = (
        select(Article, Review)
        .join(Review, (Review.kind == Article.kind) & (Review.content_id == Article.id))
        .options(joinedload(Review.writer))
        .where(Review.state == ReviewState.PENDING)
        .order_by(Review.submitted_at, Review.id)
    )
    return [(article, review) for article, review in db.session.execute(query)]
