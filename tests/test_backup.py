"""The restore drill, once per database: content in, backup, destroy, restore, same pages back.

Each engine gets a database of its own (a SQLite file; a PostgreSQL database made for the drill
and dropped after it): a restore replaces the whole database, which the suite's shared schema
must not be.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import BytecodeCache
from sqlalchemy import text

from newsportal import storage
from newsportal.articles import services as articles
from newsportal.backups import engines
from newsportal.backups.errors import BackupError
from newsportal.backups.services import Site, create_backup, has_data
from newsportal.comments import moderation
from newsportal.comments import services as comments
from newsportal.extensions import db
from newsportal.files import SQLITE_SIBLINGS
from newsportal.media import demo as pictures
from newsportal.media.services import Limits, store_image
from newsportal.text import utcnow

from .conftest import BACKENDS, CHEAP_PASSWORD_HASH, serve_app
from .databases import throwaway_database

# The comment form's signed issue time, and the shared token signed over it.
STAMP = re.compile(
    r'(?<=name="ts" type="hidden" value=")[^"]+'
    r'|(?<=name="csrf_token" value=")shared\.[^"]+'
)
COMMENT = "Cảm ơn bài viết, xin hỏi lịch thu hoạch ở Tháp Mười?"


@pytest.fixture(params=BACKENDS)
def drill_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'site.db'}"
        return
    if marker := request.node.get_closest_marker("sqlite_only"):
        pytest.skip(f"SQLite only: {marker.args[0]}")
    with throwaway_database("drill") as url:
        yield url


@pytest.fixture
def site(
    drill_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    template_bytecode: BytecodeCache,
) -> Iterator[Flask]:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {
        "TESTING": True,
        "SECRET_KEY": "drill-secret-key-that-is-long-enough-for-anything",
        "SQLALCHEMY_DATABASE_URI": drill_url,
        "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
    }
    yield from serve_app(config, template_bytecode)


def publish_with_picture_and_comment(app: Flask) -> tuple[str, str]:
    """An article with an uploaded picture and an approved comment: (slug, picture file name)."""
    config = app.config
    limits = Limits(config["IMAGE_MAX_BYTES"], config["IMAGE_MAX_PIXELS"])
    with app.app_context():
        image = store_image(pictures.rice_field(), "lua.jpg", None, storage.current(), limits)
        data = articles.ArticleData(
            title="Lúa Thu Đông được mùa",
            lead="Năng suất bình quân đạt hơn 5,7 tấn/ha.",
            body_md="Bà con **phấn khởi** vì giá lúa ổn định.",
            byline="Minh Hằng",
            published_at=utcnow() - timedelta(hours=1),
            featured_image_id=image.id,
            featured_image_alt="Cánh đồng lúa chín",
        )
        article = articles.save_article(None, data, None, "publish")
        entry = comments.CommentInput(
            name="Trần Văn Lộc",
            email="loc@example.org",
            body=COMMENT,
            ip="192.0.2.10",
            form_age=timedelta(minutes=5),
        )
        policy = comments.Policy(secret=config["IP_HASH_KEY"], rate_limit=None)
        comment = comments.submit_comment(article, entry, policy).comment
        assert comment is not None
        moderation.set_status([comment.id], "approve", None)
        return article.slug, str(image.largest["name"])


def destroy(app: Flask) -> None:
    """The disaster: every table gone (the SQLite file itself), every upload deleted."""
    with app.app_context():
        if db.engine.url.get_backend_name() == "sqlite":
            db.engine.dispose()
            path = Path(str(db.engine.url.database))
            for file in [path, *(path.with_name(path.name + s) for s in SQLITE_SIBLINGS)]:
                file.unlink(missing_ok=True)
        else:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.engine.dispose()
        assert not has_data()
    shutil.rmtree(app.config["UPLOAD_FOLDER"])


def read_back(app: Flask, slug: str, picture: str) -> tuple[str, bytes]:
    client = app.test_client()  # a new reader, nothing of theirs cached
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200
    with client.get(f"/uploads/{picture}") as upload:  # a file response: closed when read
        assert upload.status_code == 200
        picture_bytes = upload.data
    # The form's issue time (and the token signed over it) is the one part made afresh per second.
    return STAMP.sub("", page.get_data(as_text=True)), picture_bytes


def test_the_restore_drill(site: Flask, tmp_path: Path) -> None:
    slug, picture = publish_with_picture_and_comment(site)
    page, picture_bytes = read_back(site, slug, picture)
    assert COMMENT in page
    assert f"/uploads/{picture}" in page
    runner = site.test_cli_runner()
    backup = tmp_path / "backup"

    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == site.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    assert f"uploads/{picture}" in manifest["files"]
    assert {"app_version", "alembic_revision", "created_at"} <= set(manifest)
    assert oct((backup / "manifest.json").stat().st_mode & 0o777) == "0o600"
    again = runner.invoke(args=["backup", "create", str(backup)])
    assert again.exit_code == 1
    assert "new or empty" in again.output

    refused = runner.invoke(args=["backup", "restore", str(backup)])
    assert refused.exit_code == 1
    assert "holds data: add --yes" in refused.output
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    (damaged / "uploads" / picture).write_bytes(b"not the picture")
    tampered = runner.invoke(args=["backup", "restore", "--yes", str(damaged)])
    assert tampered.exit_code == 1
    assert f"uploads/{picture} is missing, changed or unexpected" in tampered.output

    destroy(site)
    restored = runner.invoke(args=["backup", "restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert read_back(site, slug, picture) == (page, picture_bytes)


@pytest.mark.sqlite_only("reads a folder; no database is touched")
@pytest.mark.parametrize(
    ("contents", "message"),
    [({}, "no readable manifest.json"), ({"manifest.json": "{"}, "no readable manifest.json")],
)
def test_a_folder_that_is_not_a_backup_is_refused(
    site: Flask, tmp_path: Path, contents: dict[str, str], message: str
) -> None:
    folder = tmp_path / "not-a-backup"
    folder.mkdir()
    for name, body in contents.items():
        (folder / name).write_text(body)
    result = site.test_cli_runner().invoke(args=["backup", "restore", "--yes", str(folder)])
    assert result.exit_code == 1
    assert message in result.output


def forged_backup(folder: Path, files: dict[str, bytes], fields: dict[str, object]) -> Path:
    """A backup folder holding `files`, its manifest listing each with its true hash; `fields`
    override the recorded fields (a wrong engine, format or file list)."""
    for name, body in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
    recorded = {
        "format": 1,
        "app_version": "1.0",
        "alembic_revision": None,
        "created_at": "2026-01-02T03:04:05+00:00",
        "engine": "sqlite",
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in files.items()},
        **fields,
    }
    (folder / "manifest.json").write_text(json.dumps(recorded))
    return folder


@pytest.mark.sqlite_only("refused before the database is touched: the check is the same")
@pytest.mark.parametrize(
    ("files", "manifest", "message"),
    [
        (
            {"database.dump": b"PGDMP"},
            {"engine": "postgresql"},
            "this is a postgresql backup; the configured database is another kind",
        ),
        (
            {"database.sqlite3": b"SQLite format 3"},
            {"format": 2},
            "manifest.json is of a format this version does not know",
        ),
        (
            {"uploads/a.jpg": b"\xff\xd8"},
            {},
            "database.sqlite3 is missing, changed or unexpected: the backup is damaged",
        ),
        (
            {"database.sqlite3": b"SQLite format 3"},
            {"files": {"database.sqlite3": hashlib.sha256(b"SQLite format 3").hexdigest()}},
            "notes.txt is missing, changed or unexpected: the backup is damaged",
        ),
    ],
    ids=["other-engine", "future-format", "no-dump", "unlisted-file"],
)
def test_a_backup_that_does_not_fit_is_refused_and_nothing_changes(
    site: Flask,
    tmp_path: Path,
    files: dict[str, bytes],
    manifest: dict[str, object],
    message: str,
) -> None:
    slug, picture = publish_with_picture_and_comment(site)
    before = read_back(site, slug, picture)
    folder = forged_backup(tmp_path / "forged", files, manifest)
    if "notes.txt" in message:
        (folder / "notes.txt").write_text("added after the backup was made")
    result = site.test_cli_runner().invoke(args=["backup", "restore", "--yes", str(folder)])
    assert result.exit_code == 1
    assert message in result.output
    assert read_back(site, slug, picture) == before


@pytest.mark.parametrize(
    "url", ["mysql+pymysql://news@db.example/news", "sqlite://", "sqlite:///:memory:"]
)
def test_only_a_sqlite_file_or_a_postgresql_database_is_backed_up(tmp_path: Path, url: str) -> None:
    target = tmp_path / "backup"
    site = Site(database_url=url, uploads=tmp_path / "uploads", instance=tmp_path / "instance")
    with pytest.raises(BackupError) as refused:
        create_backup(target, site)
    assert (refused.value.field, refused.value.code) == ("database", "unsupported_database")
    assert not target.exists() or not any(target.iterdir())  # no half-made backup left behind


def test_the_manifest_names_the_schema_revision_and_the_bookkeeping_alone_is_no_data(
    site: Flask, tmp_path: Path
) -> None:
    revision = "e4b1c7d2f905"

    def stamp() -> None:  # what `flask db stamp` leaves: one row in alembic_version
        with site.app_context(), db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            connection.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})

    slug, picture = publish_with_picture_and_comment(site)
    before = read_back(site, slug, picture)
    stamp()
    runner = site.test_cli_runner()
    backup = tmp_path / "backup"
    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    assert f"(revision {revision})" in made.output
    assert json.loads((backup / "manifest.json").read_text())["alembic_revision"] == revision

    destroy(site)
    stamp()
    with site.app_context():
        assert not has_data()
    restored = runner.invoke(args=["backup", "restore", str(backup)])  # no --yes needed
    assert restored.exit_code == 0, restored.output
    assert f"revision {revision})" in restored.output
    assert read_back(site, slug, picture) == before


@pytest.fixture
def postgres_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template_bytecode: BytecodeCache
) -> Iterator[Flask]:
    """A site on a PostgreSQL database of its own: what `pg_dump` and `pg_restore` talk to."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among NEWSPORTAL_TEST_BACKENDS")
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    with throwaway_database("tools") as url:
        config = {
            "TESTING": True,
            "SECRET_KEY": "drill-secret-key-that-is-long-enough-for-anything",
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        }
        yield from serve_app(config, template_bytecode)


@pytest.mark.parametrize(
    ("installed", "message"),
    [
        (None, "pg_dump not found: install the PostgreSQL client (postgresql-client)"),
        ("pg_dump (PostgreSQL) 9.6.24", "pg_dump is older than the PostgreSQL server"),
    ],
    ids=["missing", "older-than-the-server"],
)
def test_a_backup_without_a_pg_dump_for_this_server_says_which_client_to_install(
    postgres_site: Flask,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    installed: str | None,
    message: str,
) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    if installed is not None:  # a client of another major version answers --version like this
        tool = bin_folder / "pg_dump"
        tool.write_text(f"#!/bin/sh\necho '{installed}'\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_folder))
    monkeypatch.setattr(engines, "PG_VERSIONED_BIN", str(tmp_path / "no-such" / "{major}"))
    backup = tmp_path / "backup"
    result = postgres_site.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 1
    assert message in result.output
    assert not (backup / "manifest.json").exists()  # not mistaken later for a finished backup


def test_a_dump_pg_restore_cannot_read_is_reported_and_the_database_is_kept(
    postgres_site: Flask, tmp_path: Path
) -> None:
    slug, picture = publish_with_picture_and_comment(postgres_site)
    before = read_back(postgres_site, slug, picture)
    folder = forged_backup(
        tmp_path / "forged", {"database.dump": b"not a pg_dump archive"}, {"engine": "postgresql"}
    )
    runner = postgres_site.test_cli_runner()
    result = runner.invoke(args=["backup", "restore", "--yes", str(folder)])
    assert result.exit_code == 1
    assert "PostgreSQL's tool failed: pg_restore: error:" in result.output
    assert read_back(postgres_site, slug, picture) == before


@pytest.mark.sqlite_only("the key is a file in the instance folder, whatever the database")
def test_a_generated_secret_key_comes_back_with_the_restore(site: Flask, tmp_path: Path) -> None:
    # Sessions are signed, and stored addresses were hashed, with it: losing it logs every
    # staff member out and breaks the comment rate limits.
    key = Path(site.instance_path) / "secret_key"
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text("generated-once-for-this-instance-and-kept-across-restarts")
    runner = site.test_cli_runner()
    backup = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    assert "secret_key" in json.loads((backup / "manifest.json").read_text())["files"]
    shutil.rmtree(key.parent)
    restored = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert key.read_text() == "generated-once-for-this-instance-and-kept-across-restarts"
    assert oct(key.parent.stat().st_mode & 0o777) == "0o700"
