"""What the site writes to disk is its own: the instance folder, the SQLite database (password
hashes, commenters' addresses) and the uploads are owner-only (folders 0700, files 0600)
whatever the umask, so another account on the server reads none of them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SIBLINGS = ("-wal", "-shm", "-journal")


def _tighten(path: Path, mode: int) -> None:
    # A folder an operator made for us (owned by another account) is theirs to set.
    info = path.stat()
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != mode:
        path.chmod(mode)


def private_folder(path: Path) -> Path:
    """The folder, and any parent made for it, created owner-only: mkdir's mode passes through
    the umask, and parents=True ignores it, so each is set explicitly."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        _tighten(folder, FOLDER_MODE)
    _tighten(path, FOLDER_MODE)
    return path


def write_private(folder: Path, name: str, data: bytes) -> Path:
    """Write a content-addressed file owner-only: aside, then renamed, so a reader never gets
    half a file; a file of that name already holds these bytes."""
    target = folder / name
    if target.exists():
        return target
    private_folder(folder)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), FILE_MODE)
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def private_sqlite(uri: str) -> None:
    """Create a SQLite database file owner-only before SQLAlchemy first connects (SQLite would
    make it 0644 under the usual umask); its -wal and -shm files get the database's mode from
    SQLite itself. A database left world-readable by an older version is tightened."""
    url = make_url(uri)
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.is_dir():
        return  # SQLite refuses it as before, with its own error
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    for file in [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_SIBLINGS)]:
        if file.exists():
            _tighten(file, FILE_MODE)
