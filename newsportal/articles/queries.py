"""Read side: what readers and editors see. Each list is one query plus, when paginated, a
count that stops at 10,000 (pagination.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import g
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, case, func, select, union_all
from sqlalchemy.orm import defer, joinedload

from ..card_lists import PER_BLOCK
from ..content_version import LISTS, article_scope
from ..extensions import db
from ..models import (
    Article,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    Review,
    ReviewState,
    Tag,
    User,
    article_tags,
    published_filter,
)
from ..pagecache import reads
from ..pagination import capped_paginate
from ..text import slugify, utcnow, vi_fold, vi_sort_key

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


# Lists that show other articles by title, picture and date only (related articles, the
# sidebar): their text is not loaded, and a template reaching for it fails in the tests, since
# an edit to an article's text re-renders only the pages that declare its scopes.
_TITLES_ONLY = tuple(
    defer(column, raiseload=True)
    for column in (Article.lead, Article.body_md, Article.body_html, Article.featured_image_caption)
)
# Cards show the lead but never the body: a list of 80 cards loaded 80 bodies it did not show.
_CARDS = tuple(defer(column, raiseload=True) for column in (Article.body_md, Article.body_html))


def _cards(now: datetime | None = None) -> Select:
    return _published(now).options(*_CARDS)


def latest(page: int, per_page: int) -> Pagination:
    reads(LISTS)
    return capped_paginate(_cards(), page, per_page, kept_as=("latest",))


def in_category(category: Category, page: int, per_page: int) -> Pagination:
    reads(LISTS)
    query = _cards().where(Article.category_id == category.id)
    return capped_paginate(query, page, per_page, kept_as=("category", category.id))


def related(article: Article, limit: int = 4) -> list[Article]:
    """The newest other articles of the same category (none without a category)."""
    if article.category_id is None:
        return []
    query = _published().where(Article.category_id == article.category_id, Article.id != article.id)
    return list(db.session.scalars(query.options(*_TITLES_ONLY).limit(limit)))


def bylines() -> list[str]:
    """Every byline on a published article, for finding an author page by its slug."""
    query = select(Article.byline).where(published_filter(), Article.byline != "").distinct()
    return list(db.session.scalars(query))


def by_byline(names: list[str], page: int, per_page: int) -> Pagination:
    reads(LISTS)
    query = _cards().where(Article.byline.in_(names))
    return capped_paginate(query, page, per_page, kept_as=("bylines", *names))


def published_article(slug: str) -> Article | None:
    reads(article_scope(slug))
    # Its tags in the same query (a row per tag, at most 10): the page stays at four queries.
    query = _published().options(joinedload(Article.tags)).where(Article.slug == slug)
    found: Article | None = db.session.execute(query).unique().scalar_one_or_none()
    return found


# Built once: a comment POST binds the slug and the time.
_COMMENTABLE = select(Article).where(
    published_filter(bindparam("now")), Article.slug == bindparam("slug")
)


def commentable(slug: str) -> Article | None:
    """The published article a comment is sent to, without what only its page shows (category,
    tags): a comment needs its id and dates; the page, when shown again, loads them."""
    found: Article | None = db.session.scalar(_COMMENTABLE, {"now": utcnow(), "slug": slug})
    return found


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
    reads(LISTS)
    ids = select(article_tags.c.article_id).where(article_tags.c.tag_id == tag.id)
    query = _cards().where(Article.id.in_(ids))
    return capped_paginate(query, page, per_page, kept_as=("tag", tag.id))


def menu() -> list[Any]:
    """The categories for the menu: read with the content version on reader pages."""
    return list(g.menu) if "menu" in g else categories()


def category_by_slug(slug: str) -> Any:
    """From the menu's list, which the page reads anyway: a Category or a MenuItem."""
    return next((c for c in menu() if c.slug == slug), None)


@dataclass(frozen=True)
class DeskFilters:
    """What the desk's list is narrowed and ordered by (already checked by its form)."""

    title: str = ""  # any part of the title, accents and case optional
    author_id: int | None = None  # who created it
    state: str | None = None  # one of EDITOR_STATES
    category_id: int | None = None
    tag_id: int | None = None
    sort: str = "updated"
    owner_id: int | None = None  # only the articles that account wrote (a reporter's desk)


def _state_order(now: datetime) -> Any:
    draft = (Article.status != ArticleStatus.PUBLISHED) | Article.published_at.is_(None)
    return case((draft, 0), (Article.published_at > now, 1), else_=2)


def _desk_order(sort: str, now: datetime) -> tuple[Any, ...]:
    # The folded title sorts alike on both databases (binary SQLite would put "Đ" after "Z").
    orders: dict[str, tuple[Any, ...]] = {
        "updated_asc": (Article.updated_at, Article.id),
        "published": (
            Article.published_at.is_(None),
            Article.published_at.desc(),
            Article.id.desc(),
        ),
        "title": (Article.title_folded, Article.id),
        "title_desc": (Article.title_folded.desc(), Article.id.desc()),
        "status": (_state_order(now), Article.updated_at.desc(), Article.id.desc()),
    }
    return orders.get(sort, (Article.updated_at.desc(), Article.id.desc()))


def editor_list(filters: DeskFilters, page: int, per_page: int) -> Pagination:
    """The desk's list: one query for the page, one count (capped)."""
    now = utcnow()
    query = select(Article).options(joinedload(Article.category))
    if filters.state == "draft":
        query = query.where(
            (Article.status == ArticleStatus.DRAFT) | Article.published_at.is_(None)
        )
    elif filters.state == "scheduled":
        query = query.where(Article.status == ArticleStatus.PUBLISHED, Article.published_at > now)
    elif filters.state == "published":
        query = query.where(published_filter(now))
    if filters.category_id:
        query = query.where(Article.category_id == filters.category_id)
    if filters.author_id:
        query = query.where(Article.created_by_id == filters.author_id)
    if filters.owner_id is not None:
        query = query.where(Article.created_by_id == filters.owner_id)
    if filters.tag_id:
        tagged = select(article_tags.c.article_id).where(article_tags.c.tag_id == filters.tag_id)
        query = query.where(Article.id.in_(tagged))
    folded = vi_fold(filters.title)
    if folded:
        query = query.where(Article.title_folded.contains(folded, autoescape=True))
    query = query.order_by(*_desk_order(filters.sort, now))
    return capped_paginate(query, page, per_page, error_out=False)


def desk_authors() -> list[tuple[int, str]]:
    """The accounts that created an article, for the list's author filter."""
    creators = select(Article.created_by_id).where(Article.created_by_id.is_not(None))
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(creators)))
    return sorted(((row.id, row.name) for row in rows), key=lambda row: vi_sort_key(row[1]))


def tag_named(typed: str) -> Tag | None:
    """The tag an editor typed: by its name in any case, or by its address."""
    if not typed:
        return None
    query = select(Tag).where((Tag.key == typed.casefold()) | (Tag.slug == slugify(typed)))
    found = list(db.session.scalars(query.order_by(Tag.id)))
    by_name = [t for t in found if t.key == typed.casefold()]
    return next(iter(by_name or found), None)


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


def category_blocks(
    category_ids: list[int], skip: set[int], per_block: int = PER_BLOCK
) -> dict[int, list[Article]]:
    """The newest articles of each category in one query, leaving out those already shown
    higher on the page; a category with none is not in the result."""
    reads(LISTS)
    if not category_ids:
        return {}
    values: dict[str, Any] = {f"category_{n}": cid for n, cid in enumerate(category_ids)}
    values |= {"now": utcnow(), "skip": sorted(skip)}
    query = _blocks(len(category_ids), bool(skip), per_block)
    blocks: dict[int, list[Article]] = {}
    for found in db.session.scalars(query, values):
        blocks.setdefault(found.category_id or 0, []).append(found)
    return blocks


@lru_cache(maxsize=32)  # one per count of categories, with or without articles to leave out
def _blocks(categories: int, skipping: bool, per_block: int) -> Select:
    """One short index range per category (category, status, time: newest first, stopping after
    `per_block`), joined by UNION ALL, and built once: a window ranking every published article
    took 10 ms at 10,000 articles on each render, and building 20 branches anew 5 more."""
    newest = []
    for n in range(categories):
        branch = select(Article.id).where(
            published_filter(bindparam("now")), Article.category_id == bindparam(f"category_{n}")
        )
        if skipping:
            branch = branch.where(Article.id.not_in(bindparam("skip", expanding=True)))
        branch = branch.order_by(Article.published_at.desc(), Article.id.desc()).limit(per_block)
        newest.append(select(branch.subquery().c.id))  # a subquery: SQLite's UNION takes no LIMIT
    return (
        select(Article)
        .options(joinedload(Article.category), *_CARDS)
        .where(Article.id.in_(union_all(*newest).scalar_subquery()))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def comment_counts(articles: Iterable[Article]) -> dict[int, int]:
    """Approved comments per article of a list, in one grouped query."""
    reads(LISTS)
    ids = {a.id for a in articles}  # even none: a page runs the same queries whatever its data
    query = (
        select(Comment.article_id, func.count())
        .where(Comment.article_id.in_(ids), Comment.status == CommentStatus.APPROVED)
        .group_by(Comment.article_id)
    )
    return {article_id: count for article_id, count in db.session.execute(query)}


def latest_few(limit: int = 5) -> list[Article]:
    return list(db.session.scalars(_published().options(*_TITLES_ONLY).limit(limit)))
