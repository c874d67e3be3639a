"""`flask demo load` (or `demo generate`) once per worker, copied into the tests that only need
its content.

A real load costs 3-5 s (32 articles rendered and indexed, 16 pictures drawn and encoded) and some
90 tests start from one. The first load in a worker runs the real command; its database rows and
upload folder are kept and copied into later tests' databases, with the command's output. What
the command itself does (idempotence, a load over existing content) is tested with the command:
tests/test_demo.py keeps real loads where that is the point.

A snapshot is reused only while the content it holds would be the same if loaded now: the same
backend and keys, within a few minutes and on the same day in Vietnam (the demo's dates are
relative to the day it is loaded, its schedule to the week).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Integer, func, select, text
from sqlalchemy.engine import make_url

from newsportal.extensions import db
from newsportal.text import to_local, utcnow

REUSE_SECONDS = 300
# What the loaded content depends on besides the clock.
KEYED_ON = (
    "SECRET_KEY",
    "IP_HASH_KEY",
    "PASSWORD_HASH_METHOD",
    "DEMO_PICTURE_SIZE",
    "STORAGE_BACKEND",
)


@dataclass
class Loaded:
    """What a test reads of the command's result (as click's Result has them)."""

    exit_code: int
    output: str


@dataclass
class _Snapshot:
    key: tuple[Any, ...]
    day: Any
    taken: float
    output: str
    uploads: Path
    sqlite_file: Path | None = None
    rows: dict[str, list[dict[str, Any]]] | None = None


_kept: dict[tuple[Any, ...], _Snapshot] = {}
_folder = Path(tempfile.mkdtemp(prefix="demo-snapshot-"))


def load_demo(app: Flask) -> Loaded:
    """The demo content in `app`'s (empty) database and upload folder, as `demo load` leaves it."""
    return kept(app, ["demo", "load"])


def kept(app: Flask, command: list[str]) -> Loaded:
    """The content `flask <command>` leaves in `app`'s empty database and upload folder: run for
    real the first time in a worker, copied from that run while it would leave the same."""
    backend = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    key = (backend, *command, *(repr(app.config.get(name)) for name in KEYED_ON))
    snapshot = _kept.get(key)
    if (
        snapshot is None
        or snapshot.day != to_local(utcnow()).date()
        or time.monotonic() - snapshot.taken > REUSE_SECONDS
    ):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code == 0, result.output
        _kept[key] = _take(app, backend, key, result.output)
        return Loaded(result.exit_code, result.output)
    _restore(app, snapshot)
    return Loaded(0, snapshot.output)


def _take(app: Flask, backend: str, key: tuple[Any, ...], output: str) -> _Snapshot:
    where = Path(tempfile.mkdtemp(dir=_folder))
    uploads = where / "uploads"
    source = Path(app.config["UPLOAD_FOLDER"])
    if source.is_dir():
        shutil.copytree(source, uploads)
    else:
        uploads.mkdir()
    snapshot = _Snapshot(key, to_local(utcnow()).date(), time.monotonic(), output, uploads)
    with app.app_context():
        if backend == "sqlite":
            db.session.remove()
            db.engine.dispose()  # the last connection checkpoints the WAL into the file
            snapshot.sqlite_file = where / "demo.db"
            shutil.copyfile(_sqlite_path(app), snapshot.sqlite_file)
        else:
            # In id order: a row's parent in its own table (a page's, a reply's) comes first.
            snapshot.rows = {
                table.name: [
                    dict(row)
                    for row in db.session.execute(
                        select(table).order_by(*table.primary_key.columns)
                    ).mappings()
                ]
                for table in db.metadata.sorted_tables
            }
            db.session.rollback()
    return snapshot


def _restore(app: Flask, snapshot: _Snapshot) -> None:
    target = Path(app.config["UPLOAD_FOLDER"])
    shutil.copytree(snapshot.uploads, target, dirs_exist_ok=True)
    with app.app_context():
        if snapshot.sqlite_file is not None:
            db.session.remove()
            db.engine.dispose()
            path = _sqlite_path(app)
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(snapshot.sqlite_file, path)
            return
        assert snapshot.rows is not None
        for table in db.metadata.sorted_tables:
            rows = snapshot.rows[table.name]
            if rows:
                db.session.execute(table.insert(), rows)
        for table in db.metadata.sorted_tables:
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer):
                    _reset_sequence(table.name, column.name)
        db.session.commit()


def _reset_sequence(table: str, column: str) -> None:
    """The next id after the copied rows, as after the real inserts."""
    sequence = db.session.scalar(select(func.pg_get_serial_sequence(table, column)))
    if sequence is None:
        return
    top = db.session.scalar(text(f'SELECT max("{column}") FROM "{table}"'))  # noqa: S608 (our names)
    db.session.execute(select(func.setval(sequence, top or 1, top is not None)))


def _sqlite_path(app: Flask) -> Path:
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    assert database, "an in-memory SQLite database cannot be copied"
    return Path(database)
