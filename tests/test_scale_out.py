"""Several app servers at once: real gunicorn processes sharing a database (and Redis).

- Two servers on one PostgreSQL and one Redis share rate limits and see each other's cache
  invalidation: a comment approved on server A shows on server B at once.
- SQLite under gunicorn with two workers takes 200 concurrent comments without losing one.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from newsportal import create_app
from newsportal.articles import services
from newsportal.auth.services import create_user
from newsportal.comments import stamp
from newsportal.extensions import db
from newsportal.models import Comment

from .conftest import PASSWORD
from .servers import answers, came_up, free_port

pytestmark = pytest.mark.slow
# New per run: rate-limit keys hash the address with it, and Redis outlives a test run.
SECRET = f"scale-out-{secrets.token_hex(24)}"
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture
def redis_url() -> str:
    if not answers(6379):
        message = "no Redis server answers on 127.0.0.1:6379"
        if os.environ.get("NEWSPORTAL_TEST_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    return "redis://127.0.0.1:6379/0"


def _prepare(url: str) -> str:
    """Tables, a moderator and a published article; returns the article's slug."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        create_user("moderator@example.org", "Kiểm duyệt", "moderator", PASSWORD)
        data = services.ArticleData(title="Tin dùng chung", lead="", body_md="Nội dung.", byline="")
        slug = services.save_article(None, data, None, "publish").slug
        db.session.remove()  # give the connection back, or dispose() leaves it open
        db.engine.dispose()
    return slug


class Server:
    def __init__(self, env: dict[str, str], workers: int, threads: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            str(GUNICORN),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "newsportal:create_app()",
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            command,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if not came_up(self.process, self.port, 30):
            raise RuntimeError(self.process.stderr.read().decode() if self.process.stderr else "")

    def stop(self) -> str:
        self.process.terminate()
        _, errors = self.process.communicate(timeout=30)
        return errors.decode()


def _env(url: str, instance: Path, prefix: str, **extra: str) -> dict[str, str]:
    return {
        "NEWSPORTAL_DATABASE_URL": url,
        "NEWSPORTAL_SECRET_KEY": SECRET,
        "NEWSPORTAL_INSTANCE_PATH": str(instance),
        "NEWSPORTAL_WTF_CSRF_ENABLED": "false",
        "NEWSPORTAL_COMMENT_MIN_SECONDS": "0",
        "NEWSPORTAL_PAGE_CACHE_PREFIX": f'"{prefix}"',
        "NEWSPORTAL_RATELIMIT_KEY_PREFIX": f'"{prefix}"',
        **extra,
    }


class Browser:
    """A reader or a moderator: one cookie jar, any server."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, data: dict[str, Any]) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(url, data=body, timeout=60) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def comment(n: int, email: str | None = None) -> dict[str, str]:
    return {
        "name": f"Người đọc {n}",
        "email": email or f"doc-gia-{n}-{SECRET[-8:]}@example.org",
        "body": f"Ý kiến thứ {n} về bản tin.",
        "consent": "y",
        "website": "",
        "ts": stamp.issue(SECRET, head_start=60),
    }


@pytest.fixture
def two_servers(
    postgres_schema: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    slug = _prepare(postgres_schema)
    prefix = f"test-{secrets.token_hex(4)}:"
    env = _env(
        postgres_schema,
        tmp_path / "instance",
        prefix,
        NEWSPORTAL_REDIS_URL=redis_url,
        NEWSPORTAL_COMMENT_RATE_LIMIT='"5 per 10 minutes"',
    )
    servers = [Server(env, workers=1), Server(env, workers=1)]
    yield servers, slug
    for server in servers:
        server.stop()


def test_two_servers_share_rate_limits_and_cache_invalidation(two_servers: Any) -> None:
    (a, b), slug = two_servers
    reader = Browser()
    statuses = [
        reader.post(f"{(a, b)[n % 2].base}/articles/{slug}/comments", comment(n)) for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]  # the sixth is refused whichever server gets it

    page = f"{b.base}/articles/{slug}"
    assert "Ý kiến thứ 0" not in Browser().get(page)[1]  # pending; the page is now cached
    moderator = Browser()
    assert (
        moderator.post(f"{a.base}/login", {"email": "moderator@example.org", "password": PASSWORD})
        == 302
    )
    _, queue = moderator.get(f"{a.base}/moderation/")
    first_id = queue.split('data-comment="')[1].split('"')[0]
    assert (
        moderator.post(f"{a.base}/moderation/bulk", {"ids": [first_id], "action": "approve"}) == 302
    )
    status, html = Browser().get(page)
    assert status == 200
    assert "Ý kiến thứ 0" in html


def test_sqlite_under_two_workers_takes_200_concurrent_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    url = f"sqlite:///{tmp_path / 'site.db'}"
    slug = _prepare(url)
    env = _env(url, tmp_path / "instance", "sqlite-test:", NEWSPORTAL_RATELIMIT_ENABLED="false")
    server = Server(env, workers=2, threads=4)
    try:
        target = f"{server.base}/articles/{slug}/comments"
        with ThreadPoolExecutor(max_workers=25) as pool:
            statuses = list(pool.map(lambda n: Browser().post(target, comment(n)), range(200)))
    finally:
        errors = server.stop()
    # the servers' log says why one failed: its first traceback, else its end
    found = errors.find("Traceback")
    assert statuses == [302] * 200, errors[found : found + 4000] if found >= 0 else errors[-3000:]
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Comment)).scalar()
    engine.dispose()
    assert stored == 200
    assert "database is locked" not in errors
