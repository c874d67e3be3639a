"""Search documents for generated articles, written in bulk like the articles themselves.

The generator writes articles with Core inserts, so it writes their documents the same way, with
what `search.services.index_document` would store: the same fields (`document_fields`), URL
(the kind's reader endpoint) and rank key. The bodies come from a pool, so each is folded once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, text

from .. import markup
from ..extensions import db
from ..models import Article, ArticleStatus, SearchDocument
from ..models.search import rank_key
from ..search import services as search

BATCH = 5000


def index_articles(after_id: int, progress: Callable[[int], None] = lambda n: None) -> int:
    """Index the published (or scheduled) articles with an id above `after_id`."""
    found = db.session.execute(
        select(
            Article.id,
            Article.slug,
            Article.title,
            Article.lead,
            Article.body_html,
            Article.published_at,
        )
        .where(
            Article.id > after_id,
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at.is_not(None),
        )
        .order_by(Article.id)
    ).all()
    next_id = (db.session.scalar(select(func.max(SearchDocument.id))) or 0) + 1
    bodies: dict[str, dict[str, str]] = {}  # the generator reuses a pool of bodies
    rows: list[dict[str, Any]] = []
    for article in found:
        if article.body_html not in bodies:
            bodies[article.body_html] = search.document_fields(
                "", markup.plain_text(article.body_html)
            )
        body = bodies[article.body_html]
        # folding is word by word, so title + lead and the body can be folded apart
        head = search.document_fields(article.title, article.lead)
        rows.append(
            {
                "id": next_id,
                "kind": Article.kind,
                "ref_id": article.id,
                "url": search.path_for(Article.reader_endpoint, slug=article.slug),
                "title": head["title"],
                "title_folded": head["title_folded"],
                "text": f"{head['text']} {body['text']}".strip(),
                "text_folded": f"{head['text_folded']} {body['text_folded']}".strip(),
                "visible_from": article.published_at,
                "rank_key": rank_key(article.published_at, next_id),
            }
        )
        next_id += 1
        if len(rows) == BATCH:
            _write(rows, progress)
    _write(rows, progress)
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence past them
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('search_documents', 'id'), "
                "(SELECT max(id) FROM search_documents))"
            )
        )
        db.session.commit()
    return len(found)


def _write(rows: list[dict[str, Any]], progress: Callable[[int], None]) -> None:
    if rows:
        db.session.execute(insert(SearchDocument.__table__), rows)
        db.session.commit()
        progress(len(rows))
        rows.clear()
