"""The search index: one row per searchable thing (an article, an information page...).

Rows hold the original title and plain text for display and snippets, and the same text after
`vi_fold` for matching, so "dong thap", "Đồng Tháp" and NFD input meet. `visible_from` is NULL
for anything readers may not see; a future time (a scheduled article) is filtered at query time.

The full-text structures are not ORM tables: on SQLite two FTS5 tables over the folded columns
(everything, and titles alone), on PostgreSQL GIN indexes over 'simple' tsvector columns.
They are made by the migration and, for `db.create_all()`, by the DDL events below; Alembic is
told to leave them alone.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, BigInteger, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime


class SearchDocument(PrivateContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_documents_kind_ref"),
        Index("ix_search_documents_visible_from", "visible_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]
    url: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    title_folded: Mapped[str] = mapped_column(Text)  # folding may lengthen a little
    text_folded: Mapped[str] = mapped_column(Text, default="")
    visible_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The FTS5 row id: the visible-from second, then the document id. Newest-first and "visible
    # by now" are then a row id range the FTS index walks backwards and stops early (fast at
    # 100,000 articles). NULL: hidden, kept out of the FTS index.
    rank_key: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SearchDocument {self.kind}:{self.ref_id}>"


_ID_BITS = 24


def rank_key(visible_from: datetime, doc_id: int) -> int:
    """Row id for the FTS index; the second is rounded up, so nothing shows early."""
    return (math.ceil(visible_from.timestamp()) << _ID_BITS) | (doc_id & ((1 << _ID_BITS) - 1))


def visible_until_key(now: datetime) -> int:
    """The largest rank key visible at `now`."""
    return (math.floor(now.timestamp()) << _ID_BITS) | ((1 << _ID_BITS) - 1)


FTS_TABLE = "search_fts"
TITLES_TABLE = "search_titles"
PG_INDEX = "ix_search_documents_fts"
PG_TITLE_INDEX = "ix_search_documents_title_fts"
# Names of the structures Alembic must not try to drop (FTS5 makes shadow tables of its own).
UNMANAGED = frozenset(
    {FTS_TABLE, TITLES_TABLE, PG_INDEX, PG_TITLE_INDEX, "search_vector", "title_vector"}
    | {
        f"{t}_{part}"
        for t in (FTS_TABLE, TITLES_TABLE)
        for part in ("data", "idx", "content", "docsize", "config")
    }
)

# External-content FTS5: the text lives once, in search_documents; triggers keep the indexes in
# step, for rows that have a rank key. The text is folded already, so the tokenizer needs no
# diacritic handling of its own. search_titles answers "title hits first" quickly.
# Plain strings, no formatting: the table names are spelled out on purpose.
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, text_folded, "
    "content='search_documents', content_rowid='rank_key', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_titles USING fts5(title_folded, "
    "content='search_documents', content_rowid='rank_key', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents "
    "WHEN new.rank_key IS NOT NULL BEGIN "
    "INSERT INTO search_fts(rowid, title_folded, text_folded) "
    "VALUES (new.rank_key, new.title_folded, new.text_folded); "
    "INSERT INTO search_titles(rowid, title_folded) VALUES (new.rank_key, new.title_folded); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents "
    "WHEN old.rank_key IS NOT NULL BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, text_folded) "
    "VALUES ('delete', old.rank_key, old.title_folded, old.text_folded); "
    "INSERT INTO search_titles(search_titles, rowid, title_folded) "
    "VALUES ('delete', old.rank_key, old.title_folded); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, text_folded) "
    "SELECT 'delete', old.rank_key, old.title_folded, old.text_folded "
    "WHERE old.rank_key IS NOT NULL; "
    "INSERT INTO search_titles(search_titles, rowid, title_folded) "
    "SELECT 'delete', old.rank_key, old.title_folded WHERE old.rank_key IS NOT NULL; "
    "INSERT INTO search_fts(rowid, title_folded, text_folded) "
    "SELECT new.rank_key, new.title_folded, new.text_folded WHERE new.rank_key IS NOT NULL; "
    "INSERT INTO search_titles(rowid, title_folded) "
    "SELECT new.rank_key, new.title_folded WHERE new.rank_key IS NOT NULL; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TABLE IF EXISTS search_titles",
    "DROP TABLE IF EXISTS search_fts",
]
# PostgreSQL keeps the tsvectors as stored generated columns: matching, rechecking and counting
# then read them instead of re-parsing every article's text.
PG_VECTOR = "search_vector"
PG_TITLE_VECTOR = "title_vector"
PG_DDL = [
    "ALTER TABLE search_documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', title_folded || ' ' || text_folded)) STORED",
    "ALTER TABLE search_documents ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', title_folded)) STORED",
    f"CREATE INDEX {PG_INDEX} ON search_documents USING gin (search_vector)",
    f"CREATE INDEX {PG_TITLE_INDEX} ON search_documents USING gin (title_vector)",
]
PG_DROP = [
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    f"DROP INDEX IF EXISTS {PG_TITLE_INDEX}",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS title_vector",
]


def _on(dialect: str) -> Any:
    return lambda _ddl, _target, bind, **_kw: bind.dialect.name == dialect


for _statement in SQLITE_DDL:
    event.listen(
        SearchDocument.__table__,
        "after_create",
        DDL(_statement).execute_if(callable_=_on("sqlite")),
    )
for _statement in PG_DDL:
    event.listen(
        SearchDocument.__table__,
        "after_create",
        DDL(_statement).execute_if(callable_=_on("postgresql")),
    )
for _statement in SQLITE_DROP:
    event.listen(
        SearchDocument.__table__, "before_drop", DDL(_statement).execute_if(callable_=_on("sqlite"))
    )
