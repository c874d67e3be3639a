"""Fast multi-row INSERT through the driver's executemany, for a million generated rows.

`session.execute(insert(table), dicts)` spends more time per row building SQLAlchemy's
parameters than SQLite spends storing the row. Here the statement is compiled once for the
dialect and each row only goes through the column types' own bind processors (so UTC
datetimes are stored exactly as the models store them), then straight to the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, func, insert, select

from ..extensions import db

REBUILD_MIN_ROWS = 50_000


class BulkInsert:
    def __init__(self, table: Table) -> None:
        dialect = db.engine.dialect
        keys = [c.key for c in table.columns if not (c.primary_key and c.autoincrement)]
        compiled = insert(table).compile(dialect=dialect, column_keys=keys)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        self.keys = list(compiled.positiontup or keys) if self.positional else keys
        processors: list[tuple[str, Callable[[Any], Any]]] = []
        for key in self.keys:
            processor = table.columns[key].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((key, processor))
        self.processors = processors

    def __call__(self, rows: Sequence[dict[str, Any]]) -> None:
        """One transaction for the batch."""
        params: list[Any] = []
        for row in rows:
            values = dict(row)
            for key, processor in self.processors:
                values[key] = processor(values[key])
            params.append(tuple(values[k] for k in self.keys) if self.positional else values)
        db.session.connection().exec_driver_sql(self.sql, params)
        db.session.commit()


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
