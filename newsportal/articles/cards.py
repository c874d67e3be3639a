"""Share cards: what social networks and search engines read from an article page.

Built as plain data here; templates write it out through autoescaping (meta tags) and
`|tojson` (JSON-LD), which escapes <, >, & and ' so nothing can end the script element.
"""

from __future__ import annotations

from typing import Any

from ..models import Article
from ..syndication.queries import last_changed
from ..text import iso_time


def news_article(
    article: Article,
    *,
    url: str,
    site_name: str,
    site_url: str,
    author_url: str | None,
    image_url: str | None,
) -> dict[str, Any]:
    """schema.org NewsArticle for an article readers can see."""
    if article.published_at is None:
        raise ValueError("only published articles have a share card")
    author: dict[str, Any] = (
        {"@type": "Person", "name": article.byline}
        if article.byline
        else {"@type": "Organization", "name": site_name, "url": site_url}
    )
    if article.byline and author_url:
        author["url"] = author_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso_time(article.published_at),
        "dateModified": iso_time(last_changed(article.published_at, article.updated_at)),
        "inLanguage": "vi",
        "author": [author],
        "publisher": {"@type": "Organization", "name": site_name, "url": site_url},
    }
    if article.lead:
        data["description"] = article.lead
    if article.category is not None:
        data["articleSection"] = article.category.name
    if image_url:
        data["image"] = [image_url]
    return data
