"""Write side of articles: save, publish, unpublish, restore. Each function is one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import markup
from ..content import services as content
from ..errors import FieldError
from ..extensions import db
from ..models import Article, ArticleStatus, Category, Image
from ..text import clean_line, nfc, slugify, utcnow

ArticleError = FieldError


@dataclass(frozen=True)
class ArticleData:
    title: str
    lead: str
    body_md: str
    byline: str
    category_id: int | None = None
    slug: str = ""
    published_at: datetime | None = None
    comments_enabled: bool = True
    featured_image_id: int | None = None
    featured_image_alt: str = ""
    featured_image_caption: str = ""


def unique_slug(base: str, article_id: int | None = None) -> str:
    return content.unique_slug(Article, base, article_id)


def _apply(article: Article, data: ArticleData) -> None:
    title = clean_line(data.title)
    if not title:
        raise ArticleError("title", "required")
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        raise ArticleError("category_id", "unknown")
    article.slug = content.choose_slug(article, data.slug, title)
    article.title = title
    article.lead = nfc(data.lead).strip()
    article.body_md = nfc(data.body_md).strip()
    article.body_html = markup.render_article(article.body_md)
    article.byline = clean_line(data.byline)
    article.category_id = data.category_id
    article.comments_enabled = data.comments_enabled
    _apply_featured_image(article, data)


def _apply_featured_image(article: Article, data: ArticleData) -> None:
    alt = clean_line(data.featured_image_alt)
    if data.featured_image_id is not None:
        if db.session.get(Image, data.featured_image_id) is None:
            raise ArticleError("featured_image_id", "unknown_image")
        if not alt:
            raise ArticleError("featured_image_alt", "alt_required")
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
    """Create or update an article and write a revision.

    save: whether it is public does not change; an empty time keeps the one it had.
    publish: public at `published_at` when given (a future time schedules it), else now.
    publish_now: public now, whatever time was typed.
    """
    if action not in ("save", "publish", "publish_now"):
        raise ArticleError("action", "invalid")
    if article is None:
        article = Article(status=ArticleStatus.DRAFT, created_by_id=user_id)
    with content.one_write():
        was_live = article.id is not None and article.state() == "published"
        with db.session.no_autoflush:  # the slug check must not flush a half-filled row
            _apply(article, data)
        now = utcnow()
        if action == "publish_now":
            article.status, article.published_at = ArticleStatus.PUBLISHED, now
        elif action == "publish":
            article.status = ArticleStatus.PUBLISHED
            article.published_at = data.published_at or now
        elif data.published_at is not None:
            if was_live and data.published_at > now:
                raise ArticleError("published_at", "future_live")
            article.published_at = data.published_at
        article.remember_if_live()
        content.keep(article, user_id, "save" if action == "save" else "publish")
    return article


unpublish = content.unpublish  # back to draft; the slug stays frozen if readers saw it
restore_revision = content.restore


def save_category(category: Category | None, name: str, slug: str, position: int) -> Category:
    name = clean_line(name)
    if not name:
        raise ArticleError("name", "required")
    slug = slugify(slug or name)
    if not slug:
        raise ArticleError("slug", "invalid")
    others = select(Category).where((Category.slug == slug) | (Category.name == name))
    if category is not None:
        others = others.where(Category.id != category.id)
    clash = db.session.scalar(others)
    if clash is not None:
        raise ArticleError("slug" if clash.slug == slug else "name", "taken")
    if category is None:
        category = Category()
        db.session.add(category)
    category.name, category.slug, category.position = name, slug, position
    db.session.commit()
    return category


def delete_category(category: Category) -> None:
    """Only an empty category goes; articles are never orphaned by accident."""
    used = db.session.scalar(select(Article.id).where(Article.category_id == category.id).limit(1))
    if used is not None:
        raise ArticleError("category", "in_use")
    db.session.delete(category)
    db.session.commit()
