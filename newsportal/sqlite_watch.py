"""Whether an SQLite database changed since this thread last asked, without reading a table.

`PRAGMA data_version` on one connection changes whenever another connection, of this process
or any other, commits to the file. Each thread keeps one connection of its own to ask it
(sqlite3 connections stay in their thread), opened after the worker forked.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from urllib.parse import quote

from sqlalchemy.engine import Engine


class _Asker(threading.local):
    def __init__(self) -> None:
        self.pid = 0
        self.path = ""
        self.connection: sqlite3.Connection | None = None
        self.opened = 0  # how many times this thread connected: a number belongs to one of them


_asker = _Asker()


def data_version(engine: Engine) -> tuple[int, int] | None:
    """(this thread's connection, the file's data_version as it sees it); None when the
    database is not an SQLite file (PostgreSQL, SQLite in memory or by URI) or cannot be asked.
    A data_version means something only on the connection that read it: a new one starts
    again from the same few numbers, so the connection's count goes with it."""
    url = engine.url
    name = url.database
    if (
        url.get_backend_name() != "sqlite"
        or name in (None, "", ":memory:")
        or name.startswith("file:")
    ):
        return None
    path = os.path.abspath(name)
    try:
        if _asker.connection is None or _asker.pid != os.getpid() or _asker.path != path:
            _asker.opened += 1
            _asker.connection = sqlite3.connect(
                f"file:{quote(path)}?mode=ro",
                uri=True,
                timeout=0,  # busy: read the table now
            )
            _asker.pid, _asker.path = os.getpid(), path
        found = _asker.connection.execute("PRAGMA data_version").fetchone()
    except sqlite3.Error:  # the file away or busy: the version is read from the table instead
        _asker.connection = None
        return None
    return _asker.opened, int(found[0])
