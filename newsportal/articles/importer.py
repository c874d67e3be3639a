"""Markdown files with front matter -> articles. A bad file is refused whole, in one clear line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from sqlalchemy import select

from .. import markup
from ..content import services as content
from ..extensions import db
from ..models import Article, ArticleStatus, Category
from ..text import clean_line, local_to_utc, nfc, slugify, without_controls

STATUSES = {"published": ArticleStatus.PUBLISHED, "draft": ArticleStatus.DRAFT}


class ImportFailure(ValueError):
    """`str()` is the one line shown to the person running the import."""

    def __init__(self, path: Path, field_name: str, message: str) -> None:
        super().__init__(f"{path}: {field_name}: {message}")


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
    extra: dict[str, Any] = field(default_factory=dict)


def _text(path: Path, meta: dict[str, Any], key: str, required: bool = False) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ImportFailure(path, key, "missing")
        return ""
    if not isinstance(value, str | int | float):
        raise ImportFailure(path, key, "must be text")
    return str(value)


def _when(path: Path, value: Any) -> datetime | None:
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
            raise ImportFailure(
                path, "published_at", f"cannot read {value!r} as an ISO 8601 date and time"
            ) from None
    if not 1900 <= parsed.year <= 2200:
        raise ImportFailure(
            path, "published_at", f"year {parsed.year} is not between 1900 and 2200"
        )
    return local_to_utc(parsed)  # no offset means Vietnam time


def parse_file(path: Path) -> ArticleFile:
    try:
        # Cleaned before YAML reads it: YAML refuses U+FFFF, and a file is a boundary like a form.
        raw = without_controls(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailure(path, "file", f"cannot read it ({exc.__class__.__name__})") from None
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError) as exc:
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ImportFailure(path, "front matter", str(problem)) from None
    meta = dict(post.metadata)
    if not meta and raw.lstrip("\ufeff").startswith("---"):
        raise ImportFailure(path, "front matter", "not closed by a line with ---")
    title = clean_line(_text(path, meta, "title", required=True))
    status_word = (_text(path, meta, "status") or "draft").strip().lower()
    if status_word not in STATUSES:
        raise ImportFailure(path, "status", f"{status_word!r} is not published or draft")
    slug = _text(path, meta, "slug").strip()
    if slug and slugify(slug) != slug:
        raise ImportFailure(path, "slug", f"{slug!r} is not a valid address (a-z, 0-9, -)")
    slug = slug or slugify(title)
    if not slug:
        raise ImportFailure(path, "title", "has no letter or digit to make an address from")
    category = clean_line(_text(path, meta, "category"))
    if category and not slugify(category):
        raise ImportFailure(path, "category", f"{category!r} has no letter or digit")
    known = {"title", "author", "published_at", "category", "summary", "status", "slug"}
    return ArticleFile(
        path=path,
        title=title,
        slug=slug,
        author=clean_line(_text(path, meta, "author")),
        published_at=_when(path, meta.get("published_at")),
        category=category,
        summary=nfc(_text(path, meta, "summary")).strip(),
        status=STATUSES[status_word],
        body=nfc(post.content).strip(),
        extra={k: v for k, v in meta.items() if k not in known},
    )


def _category(name: str) -> Category | None:
    if not name:
        return None
    slug = slugify(name)
    found = db.session.scalar(
        select(Category).where((Category.name == name) | (Category.slug == slug))
    )
    if found is None:
        found = Category(name=name, slug=slug, position=0)
        db.session.add(found)
    return found


def import_article(item: ArticleFile, update: bool = False) -> Article:
    """Write one parsed file: all of it, or nothing."""
    article = db.session.scalar(select(Article).where(Article.slug == item.slug))
    if article is not None and not update:
        raise ImportFailure(item.path, "slug", f"{item.slug!r} already exists (use --update)")
    with content.one_write():
        if article is None:
            article = Article(slug=item.slug)
        article.title = item.title
        article.byline = item.author
        article.lead = item.summary
        article.body_md = item.body
        try:
            article.body_html = markup.render_article(item.body)
        except markup.MarkupRefused as exc:
            raise ImportFailure(item.path, "body", f"cannot be displayed ({exc.message})") from exc
        with db.session.no_autoflush:
            article.category = _category(item.category)
        if item.status == ArticleStatus.PUBLISHED:
            content.publish(article, item.published_at)  # no time: now; a future one schedules
        else:
            content.withdraw(article)
            article.published_at = item.published_at
        content.keep(article, None, "import")
    return article
