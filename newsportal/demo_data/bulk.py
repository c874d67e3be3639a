"""Large loads: the table's secondary indexes are built once after the rows, not row by row."""

from __future__ import annotations

from collections.abc import Iterator
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
