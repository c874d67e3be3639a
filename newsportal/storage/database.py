"""Uploaded files in the database (STORAGE_BACKEND=database): every app server pointed at the
same PostgreSQL serves the same pictures and PDFs, with no shared disk.

A file is stored as chunks of CHUNK_BYTES (models/storage.py). Reading is lazy: a download
holds one chunk (512 KiB) in memory, fetched on a short connection of its own when the stream
reaches it, so a slow reader never keeps a pooled connection for the length of a download.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any, cast

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from ..models.storage import CHUNK_BYTES, StoredChunk, StoredFile
from .base import Opened, checked


class DatabaseStorage:
    name = "database"

    def __init__(self, db: SQLAlchemy) -> None:
        self.db = db

    def put(self, key: str, data: bytes) -> None:
        session = self.db.session
        # No autoflush: the caller's row that will name this file may be half filled in yet.
        pending = (row for row in session.new if isinstance(row, StoredFile))
        with session.no_autoflush:
            if session.get(StoredFile, checked(key)) is not None or any(
                row.key == key for row in pending
            ):
                return  # content-addressed: the same bytes are there already
        starts = range(0, max(len(data), 1), CHUNK_BYTES)
        chunks = [
            StoredChunk(number=n, data=data[at : at + CHUNK_BYTES]) for n, at in enumerate(starts)
        ]
        digest = hashlib.sha256(data).hexdigest()
        session.add(StoredFile(key=key, size=len(data), sha256=digest, chunks=chunks))

    def _size(self, key: str) -> int | None:
        query = select(StoredFile.size).where(StoredFile.key == checked(key))
        return cast(int | None, self.db.session.scalar(query))

    def open(self, key: str) -> Opened | None:
        size = self._size(key)
        if size is None:
            return None
        return Opened(size, cast(Any, ChunkReader(self.db.engine, key, size)))

    def read(self, key: str) -> bytes | None:
        if self._size(key) is None:
            return None
        query = select(StoredChunk.data).where(StoredChunk.key == key).order_by(StoredChunk.number)
        return b"".join(self.db.session.scalars(query))

    def exists(self, key: str) -> bool:
        return self._size(key) is not None

    def delete(self, key: str) -> None:
        session = self.db.session
        # Chunks explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys on.
        session.execute(delete(StoredChunk).where(StoredChunk.key == checked(key)))
        session.execute(delete(StoredFile).where(StoredFile.key == key))
        session.commit()

    def list(self) -> Iterator[str]:
        yield from self.db.session.scalars(select(StoredFile.key).order_by(StoredFile.key)).all()


class ChunkReader(io.RawIOBase):
    """A seekable stream over a stored file's chunks (seeking serves Range requests)."""

    def __init__(self, engine: Engine, key: str, size: int) -> None:
        self.engine, self.key, self.size = engine, key, size
        self.position = 0
        self.chunk_number, self.chunk = -1, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _load(self, number: int) -> None:
        query = select(StoredChunk.data).where(
            StoredChunk.key == self.key, StoredChunk.number == number
        )
        with self.engine.connect() as connection:
            data = connection.scalar(query)
        if data is None:  # deleted while being read: end the stream short, never loop
            raise OSError(f"stored file {self.key} went away while being read")
        self.chunk_number, self.chunk = number, bytes(data)

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size:
            return 0
        number, offset = divmod(self.position, CHUNK_BYTES)
        if number != self.chunk_number:
            self._load(number)
        piece = self.chunk[offset : offset + len(buffer)]
        view = memoryview(buffer).cast("B")
        view[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)

    def close(self) -> None:
        self.chunk = b""
        super().close()
