"""GET /feed.xml, /categories/<slug>/feed.xml, /tags/<slug>/feed.xml, /sitemap.xml (+ pages),
/robots.txt."""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, abort, current_app
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..articles import queries as article_queries
from ..content_version import FEEDS
from ..models import Article, Category, Tag
from ..pagecache import cached_page
from ..pages import queries as page_queries
from ..text import utcnow
from ..urls import absolute_url
from . import queries, services

bp = Blueprint("syndication", __name__)
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _xml(body: bytes, mimetype: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _entry(article: Article) -> services.FeedEntry:
    if article.published_at is None:
        raise ValueError("only published articles go into a feed")
    return services.FeedEntry(
        url=absolute_url("reader.article", slug=article.slug),
        title=article.title,
        summary=article.lead,
        author=article.byline,
        published=article.published_at,
        updated=queries.last_changed(article.published_at, article.updated_at),
        category=article.category.name if article.category else "",
    )


def _feed(category: Category | None, tag: Tag | None = None) -> Response:
    articles = queries.feed_articles(category.id if category else None, tag.id if tag else None)
    entries = [_entry(a) for a in articles]
    site = current_app.config["SITE_NAME"]
    if tag is not None:
        feed_url = absolute_url("syndication.tag_feed", slug=tag.slug)
        page_url = absolute_url("reader.tag", slug=tag.slug)
        title = f"{tag.name} - {site}"
    elif category is None:
        feed_url = absolute_url("syndication.feed")
        page_url = absolute_url("reader.home")
        title = site
    else:
        feed_url = absolute_url("syndication.category_feed", slug=category.slug)
        page_url = absolute_url("reader.category", slug=category.slug)
        title = f"{category.name} - {site}"
    body = services.atom_feed(
        feed_url=feed_url,
        site_url=page_url,
        title=title,
        subtitle=_("Latest news"),
        author=site,
        entries=entries,
        updated=max((e.updated for e in entries), default=utcnow()),
    )
    return _xml(body, ATOM)


@bp.get("/feed.xml")
@cached_page(scope=lambda: FEEDS)
def feed() -> Response:
    return _feed(None)


@bp.get("/categories/<slug>/feed.xml")
@cached_page(scope=lambda slug: FEEDS)
def category_feed(slug: str) -> Response:
    category = article_queries.category_by_slug(slug)
    if category is None:
        abort(404)
    return _feed(category)


@bp.get("/tags/<slug>/feed.xml")
@cached_page(scope=lambda slug: FEEDS)
def tag_feed(slug: str) -> Response:
    tag = article_queries.tag_by_slug(slug)
    if tag is None:
        abort(404)
    return _feed(None, tag)


def _fixed_urls() -> list[tuple[str, datetime | None]]:
    urls: list[tuple[str, datetime | None]] = [(absolute_url("reader.home"), None)]
    for category in queries.categories():
        urls.append((absolute_url("reader.category", slug=category.slug), None))
    for slug in queries.used_tags():
        urls.append((absolute_url("reader.tag", slug=slug), None))
    for slug, updated_at in page_queries.public_page_dates():
        urls.append((absolute_url("pages.page", slug=slug), updated_at))
    return urls


def _urls(
    page: int, per_page: int, fixed: list[tuple[str, datetime | None]]
) -> list[tuple[str, datetime | None]]:
    """Sitemap page `page` (from 1): the fixed pages first, then articles, oldest first."""
    start = (page - 1) * per_page
    urls = fixed[start : start + per_page]
    offset = max(0, start - len(fixed))
    for slug, published_at, updated_at in queries.sitemap_articles(offset, per_page - len(urls)):
        lastmod = queries.last_changed(published_at, updated_at)
        urls.append((absolute_url("reader.article", slug=slug), lastmod))
    return urls


@bp.get("/sitemap.xml")
@cached_page(scope=lambda: FEEDS)
def sitemap() -> Response:
    per_page = current_app.config["SITEMAP_MAX_URLS"]
    fixed = _fixed_urls()
    total = len(fixed) + queries.count_published()
    if total <= per_page:
        return _xml(services.urlset(_urls(1, per_page, fixed)), XML)
    pages = math.ceil(total / per_page)
    index = [(absolute_url("syndication.sitemap_page", page=n), None) for n in range(1, pages + 1)]
    return _xml(services.sitemap_index(index), XML)


@bp.get("/sitemap-<int:page>.xml")
@cached_page(scope=lambda page: FEEDS)
def sitemap_page(page: int) -> Response:
    per_page = current_app.config["SITEMAP_MAX_URLS"]
    urls = _urls(page, per_page, _fixed_urls()) if page >= 1 else []
    if not urls:
        abort(404)
    return _xml(services.urlset(urls), XML)


@bp.get("/robots.txt")
def robots() -> Response:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ("/editor/", "/moderation/", "/login", "/search")),
        "",
        f"Sitemap: {absolute_url('syndication.sitemap')}",
        "",
    ]
    response = Response("\n".join(lines), content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
