"""Markdown files with front matter -> articles. A bad file is refused whole, in one clear line.

A refusal is a FieldError: the front matter key (or "file", "front matter", "body") and a code,
with the value it quotes in `details`; cli/content.py words each code for the operator.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from sqlalchemy import select

from ..content import services as content
from ..errors import FieldError
from ..extensions import db
from ..models import Article, ArticleStatus, Category
from ..text import clean_line, local_to_utc, nfc, slugify, without_controls
from . import services

STATUSES = {"published": ArticleStatus.PUBLISHED, "draft": ArticleStatus.DRAFT}


@dataclass
class ArticleFile:
    path: Path
    title: str
    slug: str
    author: str
    published_at: datetime | None
    category: str
    summary: str
    status: str
    body: str
    tags: list[str] | None = None  # None: the file names none, an update keeps the article's
    extra: dict[str, Any] = field(default_factory=dict)


def _text(meta: dict[str, Any], key: str, required: bool = False) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError(key, "missing")
        return ""
    if not isinstance(value, str | int | float):
        raise FieldError(key, "not_text")
    return str(value)


def _tags(meta: dict[str, Any]) -> list[str] | None:
    """`tags: [Lúa gạo, Nông thôn mới]` or `tags: "Lúa gạo, Nông thôn mới"`."""
    if "tags" not in meta or meta["tags"] is None:
        return None
    value = meta["tags"]
    if isinstance(value, str):
        return services.split_tags(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [name for name in (clean_line(str(v)) for v in value) if name]
    raise FieldError("tags", "not_text")


def _when(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError("published_at", "not_iso_time", value=value) from None
    if not 1900 <= parsed.year <= 2200:
        raise FieldError("published_at", "year_range", year=parsed.year)
    return local_to_utc(parsed)  # no offset means Vietnam time


def parse_file(path: Path) -> ArticleFile:
    try:
        # Cleaned before YAML reads it: YAML refuses U+FFFF, and a file is a boundary like a form.
        raw = without_controls(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError("file", "unreadable", error=exc.__class__.__name__) from None
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError) as exc:
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise FieldError("front matter", "not_yaml", problem=str(problem)) from None
    meta = dict(post.metadata)
    if not meta and raw.lstrip("\ufeff").startswith("---"):
        raise FieldError("front matter", "not_closed")
    title = clean_line(_text(meta, "title", required=True))
    status_word = (_text(meta, "status") or "draft").strip().lower()
    if status_word not in STATUSES:
        raise FieldError("status", "unknown_status", value=status_word)
    slug = _text(meta, "slug").strip()
    if slug and slugify(slug) != slug:
        raise FieldError("slug", "invalid", value=slug)
    slug = slug or slugify(title)
    if not slug:
        raise FieldError("title", "no_slug")
    category = clean_line(_text(meta, "category"))
    if category and not slugify(category):
        raise FieldError("category", "no_letter", value=category)
    known = {"title", "author", "published_at", "category", "summary", "status", "slug", "tags"}
    return ArticleFile(
        path=path,
        title=title,
        slug=slug,
        author=clean_line(_text(meta, "author")),
        published_at=_when(meta.get("published_at")),
        category=category,
        summary=nfc(_text(meta, "summary")).strip(),
        status=STATUSES[status_word],
        body=nfc(post.content).strip(),
        tags=_tags(meta),
        extra={k: v for k, v in meta.items() if k not in known},
    )


def _category_id(name: str) -> int | None:
    """The category the file names, made by the desk's rule when there is none yet."""
    if not name:
        return None
    found = db.session.scalar(
        select(Category).where((Category.name == name) | (Category.slug == slugify(name)))
    )
    if found is None:
        found = services.stage_category(None, name, "", 0)
    return found.id


def import_article(item: ArticleFile, update: bool = False) -> Article:
    """Write one parsed file through the desk's save: all of it, or nothing."""
    article = db.session.scalar(select(Article).where(Article.slug == item.slug))
    if article is not None and not update:
        raise FieldError("slug", "exists", value=item.slug)
    with content.one_write():
        category_id = _category_id(item.category)
        # What the file does not name (comments, the picture) stays as the desk left it.
        base = services.ArticleData(title="", lead="", body_md="", byline="")
        data = replace(
            base if article is None else services.data_of(article),
            title=item.title,
            lead=item.summary,
            body_md=item.body,  # or FieldError("body", ...) when it cannot be rendered
            slug=item.slug,  # the file names it, or its title made it: kept as it is
            byline=item.author,
            category_id=category_id,
            published_at=item.published_at,  # no time: now; a future one schedules
            tags=item.tags,  # None keeps what the desk gave it
        )
        published = item.status == ArticleStatus.PUBLISHED
        article = services.stage_as_filed(article, data, published, None, "import")
    return article
