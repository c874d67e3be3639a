"""What the site writes is owner-only whatever the umask: the instance folder, the SQLite database
with its -wal and -shm files, the uploads folders and every picture and PDF in them."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

import pytest

from newsportal import create_app, files
from newsportal.auth.services import create_user
from newsportal.extensions import db

from .conftest import PASSWORD
from .page_helpers import sample_pdf
from .test_media import picture
from .test_section import result_form

CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-anything",
}


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=["umask 022", "umask 002", "umask 000"])
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def default_site(instance: Path, monkeypatch):
    """The app as `make run` starts it: no database configured, so SQLite in instance/."""
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(instance))
    app = create_app(CONFIG)
    with app.app_context():
        db.create_all()
        create_user("editor@example.org", "Biên tập viên", "editor", PASSWORD)
    return app


@pytest.mark.sqlite_only("the database file is SQLite's")
def test_database_instance_and_uploads_are_owner_only(tmp_path, monkeypatch, umask):
    instance = tmp_path / "instance"
    app = default_site(instance, monkeypatch)
    try:
        client = app.test_client()
        client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
        assert client.get("/").status_code == 200
        upload = {"file": (io.BytesIO(picture((900, 600))), "anh.jpg")}
        assert client.post("/editor/images/", data=upload).status_code == 302
        pdf = result_form(pdf=(io.BytesIO(sample_pdf("SAMPLE")), "ket-luan.pdf"))
        assert client.post("/editor/section/results/new", data=pdf).status_code == 302

        database = instance / "newsportal.db"
        uploads = Path(app.config["UPLOAD_FOLDER"])
        assert uploads.parent == instance
        wal = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]
        assert all(f.exists() for f in wal)  # WAL mode: open while the site runs
        folders = [instance, uploads, uploads / "documents"]
        files = [database, *wal, *(p for p in uploads.rglob("*") if p.is_file())]
        assert len(files) > 3 + 3  # the database and its two, several pictures, one PDF
        assert {str(f): oct(mode(f)) for f in folders if mode(f) != 0o700} == {}
        assert {str(f): oct(mode(f)) for f in files if mode(f) != 0o600} == {}
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.sqlite_only("the database file is SQLite's")
def test_a_database_left_world_readable_is_tightened_at_start(tmp_path, monkeypatch, umask):
    instance = tmp_path / "instance"
    default_site(instance, monkeypatch)  # as an older version left them:
    (instance / "newsportal.db").chmod(0o644)
    instance.chmod(0o755)
    app = create_app(CONFIG)
    with app.app_context():
        db.engine.dispose()
    assert oct(mode(instance / "newsportal.db")) == oct(0o600)
    assert oct(mode(instance)) == oct(0o700)


def test_a_write_that_fails_leaves_neither_half_a_file_nor_its_temporary(tmp_path, monkeypatch):
    def disk_full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_private(tmp_path / "uploads", "ab12.jpg", b"\xff\xd8" * 1000)
    assert list((tmp_path / "uploads").iterdir()) == []


@pytest.mark.parametrize(
    "uri",
    [
        "postgresql+psycopg://news@127.0.0.1/news",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///{tmp}/no-such-folder/site.db",  # SQLite refuses it itself, as it always did
    ],
)
def test_only_a_sqlite_file_in_an_existing_folder_is_made_ahead(tmp_path, uri):
    files.private_sqlite(uri.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []
