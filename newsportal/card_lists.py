"""Which lists of cards show an article: the scopes a change to its card (its lead, its comment
count) raises, so every other list stays cached.

An article's card is on the home page's later pages (`LATEST`: every published article is on
one of them), on its category's, its tags' and its author's pages, and on the home page itself
(`FRONT`) only while it is among the newest: the top story and headlines, or its category's
block. Which articles those are changes only when an article is published, unpublished or falls
due, and each of those raises every page, so reading them at the change is exact.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .models import Article, Category, Tag, article_tags, published_filter
from .models.public import FRONT, LATEST, list_scope
from .text import slugify

HEADLINES = 4  # beside the top story on the home page
PER_BLOCK = 4  # articles in each category's block on the home page
# The newest of a category that may be in its block: the block leaves out those already among
# the top story and headlines, so it reaches at most that many further down.
BLOCK_REACH = PER_BLOCK + 1 + HEADLINES


def lists_showing(connection: Any, article_ids: set[int]) -> set[str]:
    """The scopes of the list pages showing these articles' cards (none for an unpublished one)."""
    if not article_ids:
        return set()
    rows = connection.execute(
        select(Article.id, Article.category_id, Article.byline, Category.slug)
        .outerjoin(Category, Category.id == Article.category_id)
        .where(Article.id.in_(article_ids), published_filter())
    ).all()
    if not rows:
        return set()
    tags = connection.scalars(
        select(Tag.slug)
        .join(article_tags, article_tags.c.tag_id == Tag.id)
        .where(article_tags.c.article_id.in_([row.id for row in rows]))
    )
    scopes = {LATEST} | {list_scope("tag", slug) for slug in tags}
    for row in rows:
        if row.slug is not None:
            scopes.add(list_scope("category", row.slug))
        if slugify(row.byline):
            scopes.add(list_scope("author", slugify(row.byline)))
    if _on_the_front(connection, rows):
        scopes.add(FRONT)
    return scopes


def _newest(category_id: int | None, limit: int) -> Any:
    query = select(Article.id).where(published_filter())
    if category_id is not None:
        query = query.where(Article.category_id == category_id)
    return query.order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)


def _on_the_front(connection: Any, rows: list[Any]) -> bool:
    shown = set(connection.scalars(_newest(None, 1 + HEADLINES)))
    for category_id in {row.category_id for row in rows if row.category_id is not None}:
        shown |= set(connection.scalars(_newest(category_id, BLOCK_REACH)))
    return any(row.id in shown for row in rows)
