"""Two app servers, each with its own instance folder, on one PostgreSQL with the database
storage backend: what an editor uploads through one is served by the other, byte for byte and
header for header, and a result deleted on one is gone from both."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine, make_url

from newsportal import create_app
from newsportal.auth.services import create_user
from newsportal.extensions import db
from newsportal.models import PublishedResult

from .conftest import CHEAP_PASSWORD_HASH, PASSWORD
from .storage_helpers import (
    PDF,
    PDF_SHA,
    PER_REQUEST,
    Browser,
    Server,
    picture_form,
    result_form,
    stored_urls,
)

pytestmark = pytest.mark.slow
SECRET = f"storage-servers-{secrets.token_hex(24)}"


@pytest.fixture(scope="session")
def shared_database(postgres_database: str) -> Iterator[tuple[str, Engine]]:
    """A schema of its own on the run's PostgreSQL, with the tables and an editor."""
    schema = f"servers_{secrets.token_hex(4)}"
    admin = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_database).update_query_dict({"options": f"-csearch_path={schema}"})
    address = url.render_as_string(hide_password=False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": address,
            "SECRET_KEY": SECRET,
            "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        }
    )
    with app.app_context():
        db.create_all()
        create_user("editor@example.org", "Biên tập viên", "editor", PASSWORD)
        db.session.remove()
        db.engine.dispose()
    engine = create_engine(url)
    yield address, engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def two_servers(
    shared_database: tuple[str, Engine], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    address, _ = shared_database
    servers = []
    for name in ("a", "b"):
        instance = tmp_path_factory.mktemp(f"server-{name}")
        env = {
            "NEWSPORTAL_DATABASE_URL": address,
            "NEWSPORTAL_SECRET_KEY": SECRET,
            "NEWSPORTAL_INSTANCE_PATH": str(instance),
            "NEWSPORTAL_STORAGE_BACKEND": "database",
            "NEWSPORTAL_WTF_CSRF_ENABLED": "false",
        }
        servers.append(Server(env, instance.parent / f"{instance.name}.log"))
    yield servers[0], servers[1]
    for server in servers:
        server.stop()


def _same_but_date(one: dict[str, str], other: dict[str, str]) -> bool:
    def strip(headers: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k not in PER_REQUEST}

    return strip(one) == strip(other)


def test_uploads_through_one_server_are_served_by_the_other_and_deleted_for_both(
    two_servers: tuple[Server, Server], shared_database: tuple[str, Engine]
) -> None:
    a, b = two_servers
    _, engine = shared_database
    editor = Browser()
    assert (
        editor.post(f"{a.base}/login", {"email": "editor@example.org", "password": PASSWORD}) == 302
    )
    assert editor.post(f"{a.base}/editor/images/", picture_form()) == 302
    assert editor.post(f"{a.base}/editor/section/results/new", result_form()) == 302
    urls = stored_urls(engine)
    assert len(urls) == 4
    assert f"/documents/{PDF_SHA}.pdf" in urls

    reader = Browser()
    for url in urls:
        status_a, headers_a, body_a = reader.get(a.base + url)
        status_b, headers_b, body_b = reader.get(b.base + url)
        assert (status_a, status_b) == (200, 200)
        assert body_a == body_b
        assert hashlib.sha256(body_b).hexdigest() == url.rsplit("/", 1)[-1].split(".")[0]
        assert _same_but_date(headers_a, headers_b), (headers_a, headers_b)
    assert reader.get(f"{b.base}/documents/{PDF_SHA}.pdf")[2] == PDF

    with engine.connect() as connection:
        result_id = connection.scalar(select(PublishedResult.id))
    assert editor.post(f"{a.base}/editor/section/results/{result_id}/delete", {}) == 302
    assert reader.get(f"{b.base}/documents/{PDF_SHA}.pdf")[0] == 404
    assert reader.get(f"{a.base}/documents/{PDF_SHA}.pdf")[0] == 404
    with engine.connect() as connection:
        left = connection.scalar(text("SELECT count(*) FROM stored_files WHERE key LIKE 'doc%'"))
    assert left == 0
    # Nothing was written to either server's disk.
    for server in (a, b):
        instance = server.log.with_suffix("")
        assert not (instance / "uploads").exists()
