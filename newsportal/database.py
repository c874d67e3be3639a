"""Database wiring: Flask-SQLAlchemy, Flask-Migrate, and SQLite settings for concurrent writers."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db
from .files import private_sqlite
from .models.search import UNMANAGED
from .site_files import site_folder

MIGRATIONS = str(site_folder("migrations"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one worker writes; busy_timeout makes a second writer
    # wait its turn instead of failing with "database is locked".
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations stay plain SQLAlchemy: our UTC wrapper is a timezone-aware DateTime underneath.
    if type_ == "type" and obj.__class__.__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Autogenerate leaves the full-text structures alone: they are not ORM tables."""
    return name not in UNMANAGED


class _Migrations:
    """app.extensions["migrate"] until Flask-Migrate's commands or functions (upgrade() ...)
    first read it: then Flask-Migrate is set up for real and takes its place. Flask-Migrate
    imports all of Alembic (some 11 MB), which a web worker never needs; `flask db` is
    registered with the other commands (cli.GROUPS)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends probing: not a use
            raise AttributeError(name)
        from flask_migrate import Migrate

        Migrate().init_app(
            self.app,
            db,
            directory=MIGRATIONS,
            render_as_batch=True,  # SQLite can only change a table by copying it
            compare_type=True,
            render_item=_render_item,
            include_object=include_object,
        )
        return getattr(self.app.extensions["migrate"], name)


def register(app: Flask) -> None:
    private_sqlite(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    app.extensions["migrate"] = _Migrations(app)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        try:
            db.session.execute(db.text("SELECT 1"))
        except Exception:  # any driver error means "not healthy", never a 500 page
            return {"status": "error", "database": "unreachable"}, 503
        return {"status": "ok"}, 200
