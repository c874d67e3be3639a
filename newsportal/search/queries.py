"""Read side of search: turn what a reader typed into folded terms, and find documents.

Whatever is typed, the database only ever sees folded letters and digits: FTS syntax, quotes,
SQL and broken Unicode cannot reach it as syntax.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, case, literal, literal_column, select
from sqlalchemy.dialects.postgresql import REGCONFIG

from ..extensions import db
from ..models import SearchDocument
from ..models.search import FTS_TABLE, PG_VECTOR
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


def _matches(terms: tuple[str, ...]) -> ColumnElement[bool]:
    if db.engine.dialect.name == "postgresql":
        tsquery = None
        for term in terms:
            part = db.func.phraseto_tsquery(literal("simple", REGCONFIG), term)
            tsquery = part if tsquery is None else tsquery.op("&&")(part)
        return literal_column(PG_VECTOR).op("@@")(tsquery)
    # Every term quoted: a string of letters and digits, matched as a word or a phrase.
    expression = " ".join(f'"{term}"' for term in terms)
    hits: Select = (
        select(literal_column("rowid"))
        .select_from(db.table(FTS_TABLE))
        .where(literal_column(FTS_TABLE).op("MATCH")(expression))
    )
    return SearchDocument.id.in_(hits)


def _title_hit(terms: tuple[str, ...]) -> ColumnElement[int]:
    return case((and_(*(SearchDocument.title_folded.contains(t) for t in terms)), 1), else_=0)


def search_query(terms: tuple[str, ...], now: datetime | None = None) -> Select:
    """Visible documents matching every term: title hits first, then the newest."""
    return (
        select(SearchDocument)
        .where(_matches(terms), SearchDocument.visible_from <= (now or utcnow()))
        .order_by(
            _title_hit(terms).desc(),
            SearchDocument.visible_from.desc(),
            SearchDocument.id.desc(),
        )
    )


def search(terms: tuple[str, ...], page: int, per_page: int) -> Pagination:
    return db.paginate(
        search_query(terms), page=page, per_page=per_page, max_per_page=per_page, error_out=False
    )
