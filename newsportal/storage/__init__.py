"""Where uploaded pictures and result PDFs are kept: one interface (base.Storage), two backends.

STORAGE_BACKEND chooses: `local`, the upload folder on this machine (the default), or
`database`, the bytes in the database every app server already shares. Both serve through
serving.send, so a reader gets the same headers from either.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from ..extensions import db
from .base import MAX_BYTES, BadKey, Opened, Storage
from .database import DatabaseStorage
from .local import LocalStorage
from .moving import CopyMismatch, MoveReport, move
from .serving import send

BACKENDS = ("local", "database")

__all__ = [
    "BACKENDS",
    "MAX_BYTES",
    "BadKey",
    "CopyMismatch",
    "DatabaseStorage",
    "LocalStorage",
    "MoveReport",
    "Opened",
    "Storage",
    "backend",
    "current",
    "move",
    "send",
]


def backend(app: Flask, name: str) -> Storage:
    """The named backend as configured for `app`."""
    if name == "database":
        return DatabaseStorage(db)
    if name == "local":
        return LocalStorage(Path(app.config["UPLOAD_FOLDER"]))
    raise ValueError(f"unknown storage backend {name!r}; one of {', '.join(BACKENDS)}")


def current() -> Storage:
    """The backend STORAGE_BACKEND names, for the running app."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return backend(app, app.config["STORAGE_BACKEND"])
