"""Copying a database out and back in, consistently while the site runs.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a snapshot page by page, WAL
included, without stopping writers; restoring goes through the same API into the live file, so
open connections of a running server see the restored pages, never a half-copied file.
PostgreSQL: `pg_dump` in custom format (one consistent snapshot), `pg_restore --clean
--if-exists` in a single transaction. The tools must be at least the server's major version
(an older pg_dump refuses a newer server); Debian's per-version folders are looked in first.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from .errors import BackupError

PG_VERSIONED_BIN = "/usr/lib/postgresql/{major}/bin"


def sqlite_path(url: str) -> Path:
    name = make_url(url).database or ""
    if name in ("", ":memory:") or name.startswith("file:"):
        raise BackupError("database", "unsupported_database")
    return Path(name)


def _sqlite_copy(source: Path, destination: Path, timeout: float) -> None:
    """Every page of `source` (opened read-only) into `destination`, through the backup API;
    `timeout` is how long to wait for a writer of `destination` to let go."""
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reader,
        closing(sqlite3.connect(destination, timeout=timeout)) as writer,
        writer,
    ):
        reader.backup(writer)


def sqlite_dump(url: str, target: Path) -> None:
    _sqlite_copy(sqlite_path(url), target, timeout=5)  # a new file: nobody else writes it


def sqlite_restore(url: str, dump: Path) -> None:
    _sqlite_copy(dump, sqlite_path(url), timeout=30)  # the live file: wait out the site's writers


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The connection as a libpq URI for the tools; the password goes in the environment, where
    other accounts' `ps` cannot read it."""
    parsed = make_url(url)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return uri, env


def _server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def pg_tool(name: str, engine: Engine) -> Path:
    """pg_dump or pg_restore able to talk to this server."""
    major = _server_major(engine)
    candidates = [Path(PG_VERSIONED_BIN.format(major=major)) / name]
    if found := shutil.which(name):
        candidates.append(Path(found))
    too_old = False
    for tool in candidates:
        if not tool.is_file():
            continue
        # An argument list, no shell: the tool is a file we found, the rest are our own values.
        version = subprocess.run(  # noqa: S603
            [str(tool), "--version"], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"(\d+)(?:\.\d+)?", version)
        if match and int(match.group(1)) >= major:
            return tool
        too_old = True
    raise BackupError("database", "pg_tool_too_old" if too_old else "pg_tool_missing", name)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError("database", "pg_tool_failed", done.stderr.strip())


def pg_dump(url: str, engine: Engine, target: Path) -> None:
    uri, env = _libpq(url)
    tool = pg_tool("pg_dump", engine)
    _run([str(tool), "--format=custom", "--no-owner", f"--file={target}", f"--dbname={uri}"], env)


def pg_restore(url: str, engine: Engine, dump: Path) -> None:
    uri, env = _libpq(url)
    tool = pg_tool("pg_restore", engine)
    engine.dispose()  # our own pooled connections must not hold locks on what is replaced
    command = [
        str(tool),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={uri}",
        str(dump),
    ]
    _run(command, env)
