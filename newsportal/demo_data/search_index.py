"""Search documents for generated articles, written in bulk like the articles themselves.

The site indexes an article through `search.services.index_document` when it is saved; the
generator writes articles with Core inserts, so it writes their documents the same way here:
the same fields, the same folding (`search.queries.words`), the same rank key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, text

from .. import markup
from ..extensions import db
from ..models import Article, ArticleStatus, SearchDocument
from ..models.search import rank_key
from ..search.queries import words
from ..text import clean_line, nfc

BATCH = 5000


def index_articles(after_id: int, progress: Callable[[int], None] = lambda n: None) -> int:
    """Index the published (or scheduled) articles with an id above `after_id`."""
    found = db.session.execute(
        select(Article.id, Article.slug, Article.title, Article.lead, Article.body_html,
               Article.published_at)
        .where(Article.id > after_id, Article.status == ArticleStatus.PUBLISHED,
               Article.published_at.is_not(None))
        .order_by(Article.id)
    ).all()  # fmt: skip
    next_id = (db.session.scalar(select(func.max(SearchDocument.id))) or 0) + 1
    bodies: dict[str, tuple[str, str]] = {}  # the generator reuses a pool of bodies
    rows: list[dict[str, Any]] = []
    for article in found:
        if article.body_html not in bodies:
            plain = " ".join(nfc(markup.plain_text(article.body_html)).split())
            bodies[article.body_html] = (plain, " ".join(words(plain)))
        body, body_folded = bodies[article.body_html]
        title, lead = clean_line(article.title), " ".join(nfc(article.lead).split())
        rows.append({
            "id": next_id, "kind": "article", "ref_id": article.id,
            "url": f"/articles/{article.slug}", "title": title, "text": f"{lead} {body}",
            "title_folded": " ".join(words(title)),
            "text_folded": f"{' '.join(words(lead))} {body_folded}",
            "visible_from": article.published_at,
            "rank_key": rank_key(article.published_at, next_id),
        })  # fmt: skip
        next_id += 1
        if len(rows) == BATCH:
            _write(rows, progress)
    _write(rows, progress)
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('search_documents', 'id'), "
                                "(SELECT max(id) FROM search_documents))"))  # fmt: skip
        db.session.commit()
    return len(found)


def _write(rows: list[dict[str, Any]], progress: Callable[[int], None]) -> None:
    if rows:
        db.session.execute(insert(SearchDocument.__table__), rows)
        db.session.commit()
        progress(len(rows))
        rows.clear()
