"""Read side of search: turn what a reader typed into folded terms, and find documents.

Whatever is typed, the database only ever sees folded letters and digits: FTS syntax, quotes,
SQL and broken Unicode cannot reach it as syntax.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, literal, literal_column, select, text
from sqlalchemy.dialects.postgresql import REGCONFIG

from ..extensions import db
from ..models import SearchDocument
from ..models.search import PG_TITLE_VECTOR, PG_VECTOR, visible_until_key
from ..text import utcnow, vi_fold

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of a text: what is indexed and what is looked for."""
    return _WORD.findall(vi_fold(text))


def parse(raw: str) -> tuple[str, ...]:
    """Folded terms: single words, or phrases (several words) the reader put in quotes."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    if raw.count('"') % 2:
        raw = raw[::-1].replace('"', " ", 1)[::-1]  # an unclosed quote is just a character
    terms: list[str] = []
    for i, part in enumerate(raw.split('"')):
        found = words(part)
        candidates = [" ".join(found)] if i % 2 and found else found
        for term in candidates:
            if term not in terms:
                terms.append(term)
    return tuple(terms[:MAX_TERMS])


def _quoted(terms: tuple[str, ...]) -> str:
    """FTS5 query: every term quoted (letters, digits, spaces only), all required."""
    return " ".join(f'"{term}"' for term in terms)


class Results(Pagination):
    """A page of results from a function returning (items, total); `capped` past RESULT_CAP."""

    capped = False

    def _query_items(self) -> list[Any]:
        offset = (self.page - 1) * self.per_page
        items, self._total = self._query_args["fetch"](offset, self.per_page)
        self.capped = self._total >= RESULT_CAP
        return items

    def _query_count(self) -> int:
        return self._total


# On SQLite, counting every match of a common word is the slow part at 100,000 articles: past
# this many, the page says "more than 1,000" and the pages stop there.
RESULT_CAP = 1000

_SQLITE_COUNTS = text(
    "SELECT (SELECT count(*) FROM search_titles WHERE search_titles MATCH :q AND rowid <= :until),"
    " (SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :q"
    " AND rowid <= :until ORDER BY rowid DESC LIMIT :cap))"
)
# Title hits first, newest first (row ids are visible-from order), then the other hits.
_SQLITE_PAGE = text(
    "SELECT k FROM (SELECT rowid AS k FROM search_titles WHERE search_titles MATCH :q"
    " AND rowid <= :until ORDER BY rowid DESC LIMIT :title_limit OFFSET :title_offset)"
    " UNION ALL SELECT k FROM (SELECT rowid AS k FROM search_fts WHERE search_fts MATCH :rest"
    " AND rowid <= :until ORDER BY rowid DESC LIMIT :rest_limit OFFSET :rest_offset)"
)


def _sqlite_page(
    terms: tuple[str, ...], now: datetime, offset: int, limit: int
) -> tuple[list[SearchDocument], int]:
    query = _quoted(terms)
    until = visible_until_key(now)
    titles, total = db.session.execute(
        _SQLITE_COUNTS, {"q": query, "until": until, "cap": RESULT_CAP}
    ).one()
    title_limit = max(0, min(limit, titles - offset))
    params = {
        "q": query,
        "rest": f"({query}) NOT {{title_folded}} : ({query})",
        "until": until,
        "title_limit": title_limit,
        "title_offset": min(offset, titles),
        "rest_limit": limit - title_limit if offset + limit <= RESULT_CAP else 0,
        "rest_offset": max(0, offset - titles),
    }
    keys = list(db.session.scalars(_SQLITE_PAGE, params))
    docs = {
        d.rank_key: d
        for d in db.session.scalars(select(SearchDocument).where(SearchDocument.rank_key.in_(keys)))
    }
    return [docs[k] for k in keys if k in docs], max(total, titles)


def _pg_tsquery(terms: tuple[str, ...]) -> Any:
    tsquery: Any = None
    for term in terms:
        part = db.func.phraseto_tsquery(literal("simple", REGCONFIG), term)
        tsquery = part if tsquery is None else tsquery.op("&&")(part)
    return tsquery


def _pg_page(
    terms: tuple[str, ...], now: datetime, offset: int, limit: int
) -> tuple[list[SearchDocument], int]:
    """As on SQLite: title hits, then the rest, each newest first by rank key. PostgreSQL walks
    the rank key index backwards and stops after a page when a word is common."""
    tsquery = _pg_tsquery(terms)
    in_title = literal_column(PG_TITLE_VECTOR).op("@@")(tsquery)
    anywhere = literal_column(PG_VECTOR).op("@@")(tsquery)
    visible = SearchDocument.rank_key <= visible_until_key(now)
    title_count = select(func.count(SearchDocument.id)).where(in_title, visible)
    capped = select(SearchDocument.id).where(anywhere, visible).limit(RESULT_CAP).subquery()
    titles, total = db.session.execute(
        select(
            title_count.scalar_subquery(),
            select(func.count()).select_from(capped).scalar_subquery(),
        )
    ).one()
    title_limit = max(0, min(limit, titles - offset))
    newest = SearchDocument.rank_key.desc()
    title_rows = select(SearchDocument).where(in_title, visible).order_by(newest)
    rest_rows = select(SearchDocument).where(anywhere, ~in_title, visible).order_by(newest)
    rest_limit = limit - title_limit if offset + limit <= RESULT_CAP else 0
    items = list(db.session.scalars(title_rows.offset(min(offset, titles)).limit(title_limit)))
    items += db.session.scalars(rest_rows.offset(max(0, offset - titles)).limit(rest_limit))
    return items, max(total, titles)


def search(
    terms: tuple[str, ...], page: int, per_page: int, now: datetime | None = None
) -> Results:
    """Visible documents matching every term: title hits first, then the newest."""
    moment = now or utcnow()
    find = _pg_page if db.engine.dialect.name == "postgresql" else _sqlite_page

    def fetch(offset: int, limit: int) -> tuple[list[SearchDocument], int]:
        return find(terms, moment, offset, limit)

    return Results(
        page=page, per_page=per_page, max_per_page=per_page, error_out=False, fetch=fetch
    )
