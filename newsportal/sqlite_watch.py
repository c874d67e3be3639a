"""Whether an SQLite database changed since this thread last asked, without reading a table.

`PRAGMA data_version` on one connection changes whenever another connection, of this process
or any other, commits to the file. Each thread keeps one connection of its own to ask it
(sqlite3 connections stay in their thread), opened after the worker forked.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from sqlalchemy.engine import Engine


class _Asker(threading.local):
    def __init__(self) -> None:
        self.pid = 0
        self.path = ""
        self.connection: sqlite3.Connection | None = None


_asker = _Asker()


def data_version(engine: Engine) -> int | None:
    """The file's data_version as this thread's connection sees it; None when the database is
    not an SQLite file (PostgreSQL, or SQLite in memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = str(url.database)
    try:
        if _asker.connection is None or _asker.pid != os.getpid() or _asker.path != path:
            _asker.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            _asker.pid, _asker.path = os.getpid(), path
        found = _asker.connection.execute("PRAGMA data_version").fetchone()
    except sqlite3.Error:  # the file away or busy: the version is read from the table instead
        _asker.connection = None
        return None
    return int(found[0])
