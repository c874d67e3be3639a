"""What every storage backend offers, and the rules keys follow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

# A key is a relative path of plain segments ("<sha256>.jpg", "documents/<sha256>.pdf"): no
# "..", no absolute path, no hidden file, so the local backend can never leave its folder.
KEY = re.compile(r"(?:[a-z0-9_-]+/)*[A-Za-z0-9_-][A-Za-z0-9._-]{0,150}")
MAX_BYTES = 16 * 1024 * 1024  # MAX_CONTENT_LENGTH: no upload is larger


class BadKey(ValueError):
    """A key outside the rules above: a programming error, never a reader's input (views check
    names against their own patterns before asking the storage)."""


def checked(key: str) -> str:
    if len(key) > 200 or not KEY.fullmatch(key):
        raise BadKey(key)
    return key


@dataclass
class Opened:
    """A stored file being read: its size, and a binary stream the reader must close."""

    size: int
    stream: BinaryIO


class Storage(Protocol):
    """Where uploaded pictures and PDFs live. Files are content-addressed (the key names the
    sha256 of the bytes), so `put` of an existing key is a no-op and bytes never change.

    `put` is durable once the caller's unit of work commits (the local backend writes at once;
    the database backend adds rows to the caller's session, so a save that fails leaves no file
    behind). `delete` is final when it returns: callers remove a file only after the commit that
    stopped using it."""

    name: str

    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> Opened | None: ...

    def read(self, key: str) -> bytes | None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def list(self) -> Iterator[str]: ...
