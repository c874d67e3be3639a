"""The search index: one row per searchable thing (an article, an information page...).

Rows hold the original title and plain text for display and snippets, and the same text after
`vi_fold` for matching, so "dong thap", "Đồng Tháp" and NFD input meet. `visible_from` is NULL
for anything readers may not see; a future time (a scheduled article) is filtered at query time.

The full-text structures are not ORM tables: on SQLite an FTS5 table over the folded columns,
on PostgreSQL a GIN index over a 'simple' tsvector of them. They are made by the migration and,
for `db.create_all()`, by the DDL events below; Alembic is told to leave them alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .types import UTCDateTime


class SearchDocument(db.Model):  # type: ignore[name-defined]
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
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SearchDocument {self.kind}:{self.ref_id}>"


FTS_TABLE = "search_fts"
PG_INDEX = "ix_search_documents_fts"
# Names of the structures Alembic must not try to drop (FTS5 makes shadow tables of its own).
UNMANAGED = frozenset(
    {FTS_TABLE, PG_INDEX}
    | {f"{FTS_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")}
)

# External-content FTS5: the text lives once, in search_documents; triggers keep the index in
# step. The text is folded already, so the tokenizer needs no diacritic handling of its own.
# Plain strings, no formatting: the table name is spelled out on purpose.
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, text_folded, "
    "content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_folded, text_folded) "
    "VALUES (new.id, new.title_folded, new.text_folded); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, text_folded) "
    "VALUES ('delete', old.id, old.title_folded, old.text_folded); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, text_folded) "
    "VALUES ('delete', old.id, old.title_folded, old.text_folded); "
    "INSERT INTO search_fts(rowid, title_folded, text_folded) "
    "VALUES (new.id, new.title_folded, new.text_folded); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
# The same expression must appear in queries for PostgreSQL to use the index.
PG_VECTOR = "to_tsvector('simple', title_folded || ' ' || text_folded)"
PG_DDL = [f"CREATE INDEX {PG_INDEX} ON search_documents USING gin ({PG_VECTOR})"]
PG_DROP = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


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
