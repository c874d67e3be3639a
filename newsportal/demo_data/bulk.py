"""Large loads: the table's secondary indexes are built once after the rows, not row by row,
and the planner's statistics are refreshed once the rows are in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Table, func, select

from ..extensions import db

REBUILD_MIN_ROWS = 50_000


@contextmanager
def indexes_rebuilt(table: Table, adding: int) -> Iterator[None]:
    """Drop the table's secondary indexes while a large load runs and build them again after.

    Keeping three B-trees sorted row by row costs several times the insert itself; building
    an index once from the finished table is a sort. Only worth it when the load is at least
    as big as what is there already. The indexes come back even if the load fails.
    """
    existing = db.session.scalar(select(func.count()).select_from(table)) or 0
    indexes = [ix for ix in table.indexes if not ix.unique]
    if adding < REBUILD_MIN_ROWS or adding < existing or not indexes:
        yield
        return
    connection = db.session.connection()
    for index in indexes:
        index.drop(bind=connection, checkfirst=True)
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        connection = db.session.connection()
        for index in indexes:
            index.create(bind=connection, checkfirst=True)
        db.session.commit()


def analyze(tables: Sequence[Table]) -> None:
    """Fresh planner statistics for the tables a load has filled.

    Without them PostgreSQL's first plans after a load still assume the few rows it last saw
    (measured: the home page at 56 ms instead of 11 until autovacuum caught up), and SQLite has
    no sqlite_stat1 at all to choose between indexes. PostgreSQL gets only the named tables: a
    bare ANALYZE would walk every table of the database, other schemas' too. SQLite's file is
    the site's alone, and a bare ANALYZE there is what fills sqlite_stat1 for all of it.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.format_table
        connection.exec_driver_sql("ANALYZE " + ", ".join(quote(table) for table in tables))
    else:
        connection.exec_driver_sql("ANALYZE")
    db.session.commit()
