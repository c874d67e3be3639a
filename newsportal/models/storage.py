"""Uploaded files kept in the database (STORAGE_BACKEND=database), so every app server reads
the same ones. A file is cut into chunks of at most CHUNK_BYTES, one row each: a download reads
one chunk at a time, never the whole file, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime

CHUNK_BYTES = 512 * 1024  # a 16 MB upload is 32 rows; a download holds one at a time


class StoredFile(PrivateContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "stored_files"

    # The storage key: "<sha256>.jpg" for a picture, "documents/<sha256>.pdf" for a result PDF.
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Written with the file (the unit of work inserts the file's row first); never loaded
    # through here, since that would be the whole file at once: reads go chunk by chunk.
    chunks: Mapped[list[StoredChunk]] = relationship(lazy="raise", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<StoredFile {self.key} {self.size}>"


class StoredChunk(PrivateContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "stored_chunks"

    key: Mapped[str] = mapped_column(
        ForeignKey("stored_files.key", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # from 0
    data: Mapped[bytes] = mapped_column(LargeBinary)
