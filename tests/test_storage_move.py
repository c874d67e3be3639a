"""Choosing the storage backend, and `flask storage move` between the two: every file moves,
each copy checked before its original goes, a second run moves nothing, and readers get the
same bytes and headers after the move as before it."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from newsportal import create_app, storage
from newsportal.config import UnsafeConfiguration
from newsportal.extensions import db
from newsportal.files import FILE_MODE

from .storage_helpers import PDF, PDF_SHA, answers, stored_urls, upload_both


@pytest.fixture
def second_app(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    """Another app server on the same database, with an instance folder of its own."""
    made: list[Flask] = []

    def make(backend: str) -> Flask:
        folder = tmp_path / f"server-{len(made)}" / "uploads"
        made.append(
            create_app({**app_config, "STORAGE_BACKEND": backend, "UPLOAD_FOLDER": str(folder)})
        )
        return made[-1]

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


def _local_files(app: Flask) -> list[str]:
    with app.app_context():
        return list(storage.backend(app, "local").list())


def _database_files(app: Flask) -> list[str]:
    with app.app_context():
        return list(storage.backend(app, "database").list())


def test_moving_to_the_database_and_back_keeps_bytes_headers_and_modes(
    app: Flask, auth: Any, client: Any, runner: Any, second_app: Any
) -> None:
    auth.as_role("editor")
    upload_both(client)  # on the local backend, the default
    with app.app_context():
        urls = stored_urls(db.engine)
    before = {url: answers(client, url) for url in urls}
    kept = _local_files(app)
    assert len(kept) == 4

    moved = runner.invoke(args=["storage", "move", "--to", "database"])
    assert moved.exit_code == 0, moved.output
    assert "moved 4 files from local to database" in moved.output
    assert "NEWSPORTAL_STORAGE_BACKEND=database" in moved.output
    assert (_local_files(app), _database_files(app)) == ([], kept)
    again = runner.invoke(args=["storage", "move", "--to", "database"])
    assert "moved 0 files" in again.output

    # Another server reading from the database answers exactly as the folder's did.
    reader = second_app("database").test_client()
    assert {url: answers(reader, url) for url in urls} == before

    back = runner.invoke(args=["storage", "move", "--to", "local"])
    assert back.exit_code == 0, back.output
    assert "moved 4 files from database to local" in back.output
    assert "NEWSPORTAL_STORAGE_BACKEND" not in back.output  # local is what the app uses
    assert (_local_files(app), _database_files(app)) == (kept, [])
    assert "moved 0 files" in runner.invoke(args=["storage", "move", "--to", "local"]).output
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert {stat.S_IMODE((folder / key).stat().st_mode) for key in kept} == {FILE_MODE}
    assert {url: answers(client, url) for url in urls} == before


def test_a_copy_that_differs_keeps_the_original_and_stops_the_move(app: Flask, runner: Any) -> None:
    key = f"documents/{PDF_SHA}.pdf"
    with app.app_context():
        storage.backend(app, "local").put(key, PDF)
        # A damaged copy left in the database (an earlier run on a failing disk, say).
        storage.backend(app, "database").put(key, PDF[:-10])
        db.session.commit()
    result = runner.invoke(args=["storage", "move", "--to", "database"])
    assert result.exit_code == 1
    assert f"{key}: the copy in database differs; local kept" in result.output
    with app.app_context():
        assert storage.backend(app, "local").read(key) == PDF


def test_a_copy_left_by_an_interrupted_move_is_checked_and_counted(app: Flask, runner: Any) -> None:
    key = f"documents/{PDF_SHA}.pdf"
    with app.app_context():
        for name in storage.BACKENDS:  # copied, but the original not yet deleted
            storage.backend(app, name).put(key, PDF)
        db.session.commit()
    result = runner.invoke(args=["storage", "move", "--to", "database"])
    assert result.exit_code == 0, result.output
    assert "moved 0 files from local to database (1 were there already)" in result.output
    assert (_local_files(app), _database_files(app)) == ([], [key])


@pytest.mark.sqlite_only("reading a setting involves no database")
@pytest.mark.parametrize(("value", "backend"), [("local", "local"), ("database", "database")])
def test_the_backend_is_chosen_by_the_environment(
    app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch, value: str, backend: str
) -> None:
    monkeypatch.setenv("NEWSPORTAL_STORAGE_BACKEND", value)
    application = create_app(app_config)
    with application.app_context():
        assert storage.current().name == backend


@pytest.mark.sqlite_only("reading a setting involves no database")
@pytest.mark.parametrize("value", ["s3", "Database", "db", ""])
def test_an_unknown_backend_refuses_to_start(
    app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NEWSPORTAL_STORAGE_BACKEND", value)
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_STORAGE_BACKEND"):
        create_app(app_config)


def test_with_the_local_backend_another_server_does_not_see_the_file(
    auth: Any, client: Any, second_app: Any
) -> None:
    """Why the database backend exists: the rows are shared, a server's folder is not."""
    auth.as_role("editor")
    upload_both(client)
    url = f"/documents/{PDF_SHA}.pdf"
    with client.get(url) as here:
        assert here.status_code == 200
    with second_app("local").test_client().get(url) as elsewhere:
        assert elsewhere.status_code == 404
