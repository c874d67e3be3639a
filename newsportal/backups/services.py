"""Make a backup folder, and restore one: plain values in, nothing half-done out.

A backup folder holds `database.sqlite3` or `database.dump`, `uploads/` (the local uploads
folder, when there is one: files kept in the database travel with the dump), `secret_key` when
the instance generated one (it signs sessions and hashed the stored addresses), and
`manifest.json`, written last: a folder without it is an unfinished backup. Restore checks every
hash before it changes anything.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.engine import make_url

from ..extensions import db
from ..files import FILE_MODE, private_folder, private_sqlite
from ..models import ContentState
from ..text import utcnow
from . import engines
from .errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
UPLOADS = "uploads"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name: config._local_secret writes it)
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Site:
    """Where the site keeps what a backup holds."""

    database_url: str
    uploads: Path
    instance: Path


@dataclass(frozen=True)
class Manifest:
    app_version: str
    alembic_revision: str | None
    created_at: datetime
    engine: str
    files: dict[str, str]  # path in the backup folder -> sha256

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "app_version": self.app_version,
            "alembic_revision": self.alembic_revision,
            "created_at": self.created_at.isoformat(),
            "engine": self.engine,
            "files": self.files,
        }


def engine_name(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in DUMPS:
        raise BackupError("database", "unsupported_database")
    return name


def create_backup(target: Path, site: Site) -> Manifest:
    """Back up into `target`, a new or empty folder (made owner-only: it holds hashes and keys)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError("directory", "not_empty")
    engine = engine_name(site.database_url)
    private_folder(target)
    dump = target / DUMPS[engine]
    if engine == "sqlite":
        engines.sqlite_dump(site.database_url, dump)
    else:
        engines.pg_dump(site.database_url, db.engine, dump)
    dump.chmod(FILE_MODE)
    if site.uploads.is_dir():
        shutil.copytree(site.uploads, target / UPLOADS, copy_function=shutil.copy2)
    key = site.instance / SECRET_KEY_FILE
    if key.is_file():
        shutil.copy2(key, target / SECRET_KEY_FILE)
    manifest = Manifest(
        app_version=_app_version(),
        alembic_revision=_alembic_revision(),
        created_at=utcnow(),
        engine=engine,
        files={name: digest for name, digest in _hashes(target)},
    )
    (target / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2, sort_keys=True))
    (target / MANIFEST).chmod(FILE_MODE)
    return manifest


def restore_backup(source: Path, site: Site, overwrite: bool) -> Manifest:
    """Put the site back as `source` holds it. Refuses a database with data unless `overwrite`."""
    manifest = read_manifest(source)
    engine = engine_name(site.database_url)
    if manifest.engine != engine:
        raise BackupError("database", "other_engine", manifest.engine)
    if not overwrite and has_data():
        raise BackupError("database", "has_data")
    before = _content_version()
    dump = source / DUMPS[engine]
    if engine == "sqlite":
        db.engine.dispose()
        private_sqlite(site.database_url)  # a deleted file comes back owner-only
        engines.sqlite_restore(site.database_url, dump)
    else:
        engines.pg_restore(site.database_url, db.engine, dump)
    db.engine.dispose()
    _raise_content_version(before)
    uploads = source / UPLOADS
    if uploads.is_dir():
        # Content-addressed names: a file restored over one of the same name is the same bytes;
        # files uploaded since the backup stay (nothing in the restored database names them).
        private_folder(site.uploads)
        shutil.copytree(uploads, site.uploads, copy_function=shutil.copy2, dirs_exist_ok=True)
    if (source / SECRET_KEY_FILE).is_file():
        private_folder(site.instance)
        shutil.copy2(source / SECRET_KEY_FILE, site.instance / SECRET_KEY_FILE)
    return manifest


def read_manifest(source: Path) -> Manifest:
    """The manifest, once every file it lists is there with its recorded hash (and no more)."""
    try:
        data = json.loads((source / MANIFEST).read_text())
        manifest = Manifest(
            app_version=str(data["app_version"]),
            alembic_revision=data["alembic_revision"],
            created_at=datetime.fromisoformat(data["created_at"]),
            engine=str(data["engine"]),
            files={str(k): str(v) for k, v in data["files"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise BackupError("directory", "no_manifest") from None
    if data.get("format") != FORMAT:
        raise BackupError("directory", "unknown_format")
    found = dict(_hashes(source))
    for name, digest in manifest.files.items():
        if found.get(name) != digest:
            raise BackupError("directory", "damaged", name)
    if extra := sorted(set(found) - set(manifest.files)):
        raise BackupError("directory", "damaged", extra[0])
    if DUMPS.get(manifest.engine) not in manifest.files:
        raise BackupError("directory", "damaged", DUMPS.get(manifest.engine, manifest.engine))
    return manifest


def has_data() -> bool:
    """Whether any table of the configured database holds a row (the schema alone is not data)."""
    with db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            if table == "alembic_version":
                continue
            quoted = connection.dialect.identifier_preparer.quote(table)
            if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():  # noqa: S608
                return True
    return False


def _hashes(folder: Path) -> list[tuple[str, str]]:
    result = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                while block := stream.read(CHUNK):
                    digest.update(block)
            result.append((path.relative_to(folder).as_posix(), digest.hexdigest()))
    return result


def _app_version() -> str:
    try:
        return version("newsportal")
    except PackageNotFoundError:
        return "unknown"


def _alembic_revision() -> str | None:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _content_version() -> int:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table(ContentState.__tablename__):
            return 0
        return int(connection.execute(select(func.max(ContentState.version))).scalar() or 0)


def _raise_content_version(before: int) -> None:
    """Past every version a page cache may hold: pages cached before the restore (or cached for
    the restored version number back then) are never served again."""
    with db.engine.begin() as connection:
        restored = connection.execute(select(func.max(ContentState.version))).scalar() or 0
        connection.execute(update(ContentState).values(version=max(before, restored) + 1))
