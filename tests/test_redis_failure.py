"""Redis stopped mid-run or full: readers get pages, comments are taken, staff sign in, no 5xx.

Each test starts its own redis-server on a free port (the shared one on 6379 is never touched).
While Redis fails, the comment and sign-in limits count in process memory and still refuse.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from sqlalchemy import select

from newsportal import create_app
from newsportal.articles import services
from newsportal.auth.services import create_user
from newsportal.comments import stamp
from newsportal.extensions import db
from newsportal.models import Comment, CommentStatus
from newsportal.ratelimits import EXTENSION

from .conftest import PASSWORD
from .servers import free_port

pytestmark = pytest.mark.slow
SECRET = "test-secret-key-that-is-long-enough-for-anything"
REDIS_SERVER = shutil.which("redis-server")
FULL = ("--maxmemory", "2mb", "--maxmemory-policy", "noeviction")  # writes refused when full


class RedisServer:
    """A redis-server of this test's own, stopped at the end whatever happens."""

    def __init__(self, *flags: str) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [
            REDIS_SERVER or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            *flags,
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        self.client = redis.Redis.from_url(self.url, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def fill(self) -> None:
        """Write junk until Redis refuses writes (it must run with maxmemory and noeviction)."""
        junk = "x" * 10_000
        with pytest.raises(redis.exceptions.OutOfMemoryError):  # noqa: PT012
            for n in range(10_000):
                self.client.set(f"junk:{n}", junk)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.client.close()


@pytest.fixture
def servers() -> Iterator[Callable[..., RedisServer]]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    started: list[RedisServer] = []

    def start(*flags: str) -> RedisServer:
        started.append(RedisServer(*flags))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def make_app(app_config: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    made = []

    def make(**config: Any) -> Any:
        app = create_app(
            {
                **app_config,
                "COMMENT_RATE_LIMIT": "3 per 10 minutes",
                "LOGIN_RATE_LIMIT_PAIR": "3 per 15 minutes",
                **config,
            }
        )
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def comment(n: int, email: str | None = None) -> dict[str, str]:
    return {
        "name": f"Người đọc {n}",
        "email": email or f"doc-gia-{n}@example.org",
        "body": f"Ý kiến thứ {n}.",
        "consent": "y",
        "website": "",
        "ts": stamp.issue(SECRET, head_start=60),
    }


def sign_in(client: Any, password: str, ip: str = "198.51.100.7") -> int:
    data = {"email": "moderator@example.org", "password": password}
    return int(client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip}).status_code)


READER_PAGES = ("/", "/feed.xml", "/sitemap.xml", "/articles/{slug}", "/search?q=tin")


def reader_pages(app: Any, slug: str) -> list[int]:
    """Statuses of anonymous reader pages (the ones the page cache keeps), for a no-5xx check."""
    client = app.test_client()
    return [client.get(path.format(slug=slug)).status_code for path in READER_PAGES]


def comment_and_sign_in(app: Any, slug: str, n: int = 1) -> list[int]:
    """Reader n comments and sees the article again; a moderator signs in and opens the queue."""
    reader, staff = app.test_client(), app.test_client()
    statuses = [reader.post(f"/articles/{slug}/comments", data=comment(n)).status_code]
    statuses.append(reader.get(f"/articles/{slug}").status_code)  # private: a flash waits
    statuses += [sign_in(staff, PASSWORD), staff.get("/moderation/").status_code]
    return statuses


@pytest.fixture
def site(make_app: Any, servers: Any) -> Any:
    """An app on its own Redis (page cache and rate limits), with an article and a moderator."""

    def build(*redis_flags: str, **config: Any) -> tuple[Any, RedisServer, str]:
        server = servers(*redis_flags)
        app = make_app(REDIS_URL=server.url, **config)
        with app.app_context():
            create_user("moderator@example.org", "Kiểm duyệt", "moderator", PASSWORD)
            data = services.ArticleData(title="Tin thử", lead="", body_md="Nội dung.", byline="")
            slug = services.save_article(None, data, None, "publish").slug
        return app, server, slug

    return build


def pending_comments(app: Any) -> list[str]:
    with app.app_context():
        query = select(Comment.email).where(Comment.status == CommentStatus.PENDING)
        return list(db.session.scalars(query))


def test_redis_stopped_mid_run_still_takes_comments_and_staff_sign_ins(site, caplog):
    app, server, slug = site()
    assert comment_and_sign_in(app, slug) == [302, 200, 302, 200]
    server.stop()
    caplog.set_level(logging.WARNING, "newsportal.ratelimits")
    for n in (2, 3, 4):
        assert comment_and_sign_in(app, slug, n) == [302, 200, 302, 200]
    # every one taken and pending, each once
    assert sorted(pending_comments(app)) == [f"doc-gia-{n}@example.org" for n in (1, 2, 3, 4)]
    assert app.extensions[EXTENSION].on_memory
    warned = [r for r in caplog.records if r.name == "newsportal.ratelimits"]
    assert len(warned) == 1  # once, not per request


def test_redis_stopped_mid_run_still_serves_reader_pages(site):
    app, server, slug = site()
    assert reader_pages(app, slug) == [200] * len(READER_PAGES)  # now in the page cache
    server.stop()
    assert reader_pages(app, slug) == [200] * len(READER_PAGES)
    assert reader_pages(app, slug) == [200] * len(READER_PAGES)


@pytest.mark.parametrize("failure", ["stopped", "full"])
def test_while_redis_fails_the_limits_count_in_memory_and_still_refuse(site, failure):
    app, server, slug = site(*(FULL if failure == "full" else ()))
    if failure == "stopped":
        server.stop()
    else:
        server.fill()
    reader = app.test_client()
    posts = [reader.post(f"/articles/{slug}/comments", data=comment(n)) for n in range(5)]
    assert [p.status_code for p in posts] == [302, 302, 302, 429, 429]  # never open
    stranger = app.test_client()
    assert [sign_in(stranger, "đoán-thử") for _ in range(4)] == [200, 200, 200, 429]
    assert sign_in(app.test_client(), PASSWORD, ip="198.51.100.99") == 302  # the owner elsewhere


def test_a_full_redis_still_takes_comments_and_staff_sign_ins(site):
    app, server, slug = site(*FULL)
    server.fill()
    assert comment_and_sign_in(app, slug) == [302, 200, 302, 200]
    assert pending_comments(app) == ["doc-gia-1@example.org"]


def test_a_full_redis_still_serves_reader_pages(site):
    app, server, slug = site(*FULL)
    server.fill()
    assert reader_pages(app, slug) == [200] * len(READER_PAGES)
    assert reader_pages(app, slug) == [200] * len(READER_PAGES)


def test_the_limits_go_back_to_redis_once_it_takes_writes_again(site):
    app, server, slug = site(*FULL, RATELIMIT_STORAGE_RETRY_SECONDS=0)
    server.fill()
    limiter = app.extensions[EXTENSION]
    assert app.test_client().post(f"/articles/{slug}/comments", data=comment(1)).status_code == 302
    assert limiter.on_memory  # reads still worked; the write did not
    assert app.test_client().post(f"/articles/{slug}/comments", data=comment(2)).status_code == 302
    assert limiter.on_memory  # the retry's write was refused too
    server.client.flushdb()  # our own server: room again
    assert app.test_client().post(f"/articles/{slug}/comments", data=comment(3)).status_code == 302
    assert not limiter.on_memory
    assert any(server.client.scan_iter(match="LIMITS:*"))


def test_counters_get_their_own_redis_when_configured(make_app, servers):
    cache, counters = servers(), servers()
    app = make_app(REDIS_URL=cache.url, RATELIMIT_STORAGE_URL=counters.url)
    assert sign_in(app.test_client(), "đoán-thử") == 200
    assert any(counters.client.scan_iter(match="LIMITS:*"))
    assert not any(cache.client.scan_iter(match="LIMITS:*"))
    options = app.config["RATELIMIT_STORAGE_OPTIONS"]
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 0.5  # never hangs


def test_counters_share_the_cache_redis_when_only_it_is_configured(make_app, servers):
    cache = servers()
    assert make_app(REDIS_URL=cache.url).config["RATELIMIT_STORAGE_URI"] == cache.url
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"


def ready(app: Any) -> tuple[int, dict[str, str], Any]:
    response = app.test_client().get("/healthz/ready")
    return response.status_code, response.get_json(), response.headers


def test_readiness_reports_each_service_and_fails_while_one_is_down(make_app, servers):
    cache, counters = servers(), servers()
    app = make_app(REDIS_URL=cache.url, RATELIMIT_STORAGE_URL=counters.url)
    status, body, headers = ready(app)
    assert (status, body) == (
        200,
        {"status": "ok", "database": "ok", "redis": "ok", "ratelimit_storage": "ok"},
    )
    assert "Set-Cookie" not in headers
    assert headers["Cache-Control"] == "no-store"
    counters.stop()
    assert ready(app)[:2] == (
        503,
        {"status": "unavailable", "database": "ok", "redis": "ok", "ratelimit_storage": "down"},
    )
    cache.stop()
    assert ready(app)[1]["redis"] == "down"
    assert app.test_client().get("/healthz").status_code == 200  # liveness stays cheap


def test_readiness_without_redis_needs_only_the_database(make_app):
    status, body, _ = ready(make_app())
    assert (status, body) == (200, {"status": "ok", "database": "ok", "redis": "not configured"})


def test_readiness_fails_while_the_database_is_down(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'x.db'}",
            "SECRET_KEY": SECRET,
        }
    )
    status, body, _ = ready(app)
    assert (status, body) == (
        503,
        {"status": "unavailable", "database": "down", "redis": "not configured"},
    )


def test_liveness_fails_while_the_database_is_down(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    missing = f"sqlite:///{tmp_path / 'missing' / 'x.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": missing, "SECRET_KEY": SECRET})
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (
        503,
        {"status": "error", "database": "unreachable"},
    )
