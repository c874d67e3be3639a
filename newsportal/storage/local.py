"""The upload folder on this machine's disk (the default): one server, or a shared mount."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..files import write_private
from .base import KEY, Opened, checked


class LocalStorage:
    """Files under `folder`, owner-only (files.py), a key's segments as folders."""

    name = "local"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / checked(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        write_private(path.parent, path.name, data)

    def open(self, key: str) -> Opened | None:
        try:
            stream = self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return Opened(os.fstat(stream.fileno()).st_size, stream)

    def read(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self) -> Iterator[str]:
        """Every stored key; files being written (".upload-…") and strays are not keys."""
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.rglob("*")):
            key = path.relative_to(self.folder).as_posix()
            if path.is_file() and KEY.fullmatch(key):
                yield key
