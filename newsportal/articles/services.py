"""Write side of articles: what is their own (byline, category, picture, publication time) on
the content core's save, publish, schedule, unpublish and restore. Each function is one
transaction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from ..content import review
from ..content import services as content
from ..errors import FieldError
from ..extensions import db
from ..models import Article, ArticleStatus, Category, Image, Tag
from ..text import clean_line, slugify

TAGS_MAX = 10  # on one article
TAG_MAX = 40  # characters in a tag's name
TAG_SLUG_MAX = 50  # before a -2 suffix; the column holds 60
_TAG_SEPARATORS = re.compile("[,;،、，]")  # commas as keyboards type them, and semicolons


@dataclass(frozen=True, kw_only=True)
class ArticleData(content.ContentData):
    byline: str
    category_id: int | None = None
    published_at: datetime | None = None  # a future time schedules it
    comments_enabled: bool = True
    featured_image_id: int | None = None
    featured_image_alt: str = ""
    featured_image_caption: str = ""
    tags: Sequence[str] | None = None  # tag names; None keeps the article's tags as they are


def split_tags(typed: str) -> list[str]:
    """The names a comma-separated tags field holds, as typed (`_apply_tags` checks them)."""
    return [name for name in (clean_line(part) for part in _TAG_SEPARATORS.split(typed)) if name]


def _checked_tags(names: Sequence[str]) -> list[str]:
    """Trimmed, NFC, each tag once whatever its case (the first spelling wins), at most 10."""
    kept: dict[str, str] = {}
    for typed in names:
        name = clean_line(typed)
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise FieldError("tags", "tag_too_long", name=name)
        if not slugify(name):
            raise FieldError("tags", "tag_no_letter", name=name)
        kept.setdefault(name.casefold(), name)
    if len(kept) > TAGS_MAX:
        raise FieldError("tags", "too_many_tags", count=len(kept))
    return list(kept.values())


def _tag_slugs(bases: list[str]) -> list[str]:
    """A free slug for each new tag: its own, else with the first free suffix (lúa, lụa)."""
    chosen: list[str] = []
    tried = 0
    while len(chosen) < len(bases):
        window = {
            base: [base if n == 1 else f"{base}-{n}" for n in range(tried + 1, tried + 11)]
            for base in bases[len(chosen) :]
        }
        candidates = [slug for slugs in window.values() for slug in slugs]
        taken = set(db.session.scalars(select(Tag.slug).where(Tag.slug.in_(candidates))))
        for base in bases[len(chosen) :]:
            free = next((s for s in window[base] if s not in taken and s not in chosen), None)
            if free is None:
                break  # the next round looks further
            chosen.append(free)
        tried += 10
    return chosen


def _apply_tags(article: Article, names: Sequence[str]) -> None:
    wanted = _checked_tags(names)
    keys = [name.casefold() for name in wanted]
    found = {}
    if keys:
        found = {t.key: t for t in db.session.scalars(select(Tag).where(Tag.key.in_(keys)))}
    new = [name for name in wanted if name.casefold() not in found]
    slugs = _tag_slugs([slugify(name, TAG_SLUG_MAX) for name in new])
    for name, slug in zip(new, slugs, strict=True):
        tag = Tag(name=name, key=name.casefold(), slug=slug)
        db.session.add(tag)
        found[tag.key] = tag
    article.tags = [found[key] for key in keys]


def _apply(article: Article, data: ArticleData) -> None:
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        raise FieldError("category_id", "unknown")
    article.byline = clean_line(data.byline)
    article.category_id = data.category_id
    article.comments_enabled = data.comments_enabled
    _apply_featured_image(article, data)
    if data.tags is not None:
        _apply_tags(article, data.tags)


def _apply_featured_image(article: Article, data: ArticleData) -> None:
    alt = clean_line(data.featured_image_alt)
    if data.featured_image_id is not None:
        if db.session.get(Image, data.featured_image_id) is None:
            raise FieldError("featured_image_id", "unknown_image")
        if not alt:
            raise FieldError("featured_image_alt", "alt_required")
    article.featured_image_id = data.featured_image_id
    article.featured_image_alt = alt if data.featured_image_id else ""
    caption = clean_line(data.featured_image_caption)
    article.featured_image_caption = caption if data.featured_image_id else ""


def reindex_articles() -> int:
    """Rebuild every article's search document (after a restore from backup or an upgrade)."""
    return content.reindex(Article)


def save_article(
    article: Article | None, data: ArticleData, user_id: int | None, action: str = "save"
) -> Article:
    """Create or update an article and write a revision (content.save: the actions).

    The article's own time: publish at `published_at` when given (a future time schedules it);
    on a save, an empty time keeps the one it had.
    """
    if article is None:
        article = Article(status=ArticleStatus.DRAFT, created_by_id=user_id)
    return content.save(
        article, data, action, user_id, lambda item: _apply(item, data), data.published_at
    )


def write_article(
    article: Article | None, data: ArticleData, writer: review.Writer, action: str
) -> Article:
    """The edit form's write for whoever is signed in. Editors: `save_article`'s actions, and
    submit. A reporter: save their own draft, or submit it ("Gửi duyệt"); never publish. A
    publication time comes from editors only."""
    if action == "submit":
        if not writer.publishes:
            data = replace(data, published_at=None)
        if article is None:
            article = Article(status=ArticleStatus.DRAFT, created_by_id=writer.id)
        return review.submit(article, data, writer, lambda item: _apply(item, data))
    review.check_save(article, writer, action)
    if not writer.publishes:
        data = replace(data, published_at=None)
    return save_article(article, data, writer.id, action)


def send_back(article: Article, note: str, writer: review.Writer) -> Article:
    return review.send_back(article, note, writer)


def approve(article: Article, writer: review.Writer, at: datetime | None) -> Article:
    return review.approve(article, writer, at)


def data_of(article: Article) -> ArticleData:
    """The article as its edit form would send it back unchanged: a writer that changes a few
    fields replaces those and keeps the rest."""
    return ArticleData(
        title=article.title,
        lead=article.lead,
        body_md=article.body_md,
        slug=article.slug,
        byline=article.byline,
        category_id=article.category_id,
        comments_enabled=article.comments_enabled,
        featured_image_id=article.featured_image_id,
        featured_image_alt=article.featured_image_alt,
        featured_image_caption=article.featured_image_caption,
        tags=[tag.name for tag in article.sorted_tags()],
    )


def set_featured_image(
    article: Article, image_id: int | None, alt: str, caption: str, user_id: int | None
) -> Article:
    """A new picture (or none) on an article, saved as the desk saves it: the same checks, a
    revision, the search document; whether and when it is public does not change."""
    data = replace(
        data_of(article),
        featured_image_id=image_id,
        featured_image_alt=alt,
        featured_image_caption=caption,
    )
    return save_article(article, data, user_id)


def stage_as_filed(
    article: Article | None, data: ArticleData, publish: bool, user_id: int | None, note: str
) -> Article:
    """Stage an article as a file states it, inside the caller's `content.one_write` (nothing is
    committed here): published from `data.published_at` (now when there is none; a future
    time schedules it), or a draft that keeps that time, whatever state it was in before."""
    if article is None:
        article = Article(status=ArticleStatus.DRAFT, created_by_id=user_id)

    def when(item: Article) -> None:
        if publish:
            content.publish(item, data.published_at)
        else:
            content.withdraw(item)
            item.published_at = data.published_at

    return content.stage(article, data, user_id, lambda item: _apply(item, data), when, note)


unpublish = content.unpublish  # back to draft; the slug stays frozen if readers saw it
restore_revision = content.restore


def save_category(category: Category | None, name: str, slug: str, position: int) -> Category:
    category = stage_category(category, name, slug, position)
    db.session.commit()
    return category


def stage_category(category: Category | None, name: str, slug: str, position: int) -> Category:
    """`save_category` without its commit (the importer's file is all or nothing); flushed, so
    an article can name it by id."""
    name = clean_line(name)
    if not name:
        raise FieldError("name", "required")
    slug = slugify(slug or name)
    if not slug:
        raise FieldError("slug", "invalid")
    others = select(Category).where((Category.slug == slug) | (Category.name == name))
    if category is not None:
        others = others.where(Category.id != category.id)
    clash = db.session.scalar(others)
    if clash is not None:
        raise FieldError("slug" if clash.slug == slug else "name", "taken")
    if category is None:
        category = Category()
        db.session.add(category)
    category.name, category.slug, category.position = name, slug, position
    db.session.flush()
    return category


def delete_category(category: Category) -> None:
    """Only an empty category goes; articles are never orphaned by accident."""
    used = db.session.scalar(select(Article.id).where(Article.category_id == category.id).limit(1))
    if used is not None:
        raise FieldError("category", "in_use")
    db.session.delete(category)
    db.session.commit()
