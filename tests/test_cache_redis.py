"""The page cache on Redis: no pickle either way, and reader pages still answer when Redis fails.

Each test starts its own redis-server on a free port (the shared one is everybody's).
"""

from __future__ import annotations

import logging
import pickle
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from newsportal import content_version, pagecache
from newsportal.pagestore import MAGIC

from .page_helpers import make_page
from .servers import free_port

READER_PAGES = [
    "/",
    "/articles/{slug}",
    "/categories/thoi-su",
    "/feed.xml",
    "/pages/noi-quy-binh-luan",
]
PREFIX = "test-page:"
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
unpickled: list[str] = []


def _mark() -> str:
    unpickled.append("unpickled")
    return "unpickled"


class Planted:
    """Loading this pickle runs `_mark`: what an attacker's pickle would do with real code."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_mark, ())


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603 (our own redis-server, fixed arguments)
            [
                REDIS_SERVER,
                *f"--port {self.port} --bind 127.0.0.1 --appendonly no".split(),
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)

    def fill(self) -> None:
        """Full as in production: `maxmemory` reached, `noeviction`, every write refused."""
        self.client.config_set("maxmemory-policy", "noeviction")
        self.client.config_set("maxmemory", "1mb")
        with pytest.raises(redis.exceptions.OutOfMemoryError):  # noqa: PT012
            for n in range(10_000):
                self.client.set(f"filler:{n}", b"x" * 10_000)
        # Used memory wobbles by a few KB (client buffers), which would let a small page in now
        # and then: a limit well below it refuses every write.
        used = int(self.client.info("memory")["used_memory"])
        self.client.config_set("maxmemory", str(used // 2))


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_server: RedisServer) -> dict[str, Any]:
    # The limiter keeps its own memory storage: this file is about the page cache.
    return {
        **app_config,
        "REDIS_URL": redis_server.url,
        "PAGE_CACHE_PREFIX": PREFIX,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture
def urls(app, make_article, make_category) -> list[str]:
    cat = make_category("Thời sự")
    article = make_article("Tin trên Redis", category_id=cat)
    make_page(app, "Nội quy bình luận")
    return [url.format(slug=article.slug) for url in READER_PAGES]


def _page_keys(server: RedisServer) -> list[bytes]:
    return list(server.client.scan_iter(match=f"{PREFIX}page:*"))


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "newsportal.pagestore" and r.levelno >= 30]


def _read_everything(app: Any, urls: list[str], times: int = 3) -> list[int]:
    """Status codes of each page, read `times` over, with and without a cookie."""
    anonymous, with_cookie = app.test_client(use_cookies=False), app.test_client()
    with_cookie.set_cookie("seen", "1")
    return [
        reader.get(url).status_code
        for _ in range(times)
        for reader in (anonymous, with_cookie)
        for url in urls
    ]


def test_redis_holds_our_bytes_and_no_pickle(app, redis_server, urls):
    for url in urls:
        assert app.test_client().get(url).status_code == 200
    keys = _page_keys(redis_server)
    assert len(keys) == len(urls)
    for key in keys:
        raw = redis_server.client.get(key)
        assert raw.startswith(MAGIC)
        assert not raw.startswith((b"\x80", b"!"))  # a pickle, or cachelib's "!" + pickle


@pytest.mark.parametrize(
    "planted", [pickle.dumps(Planted()), b"!" + pickle.dumps(Planted())], ids=["pickle", "cachelib"]
)
def test_a_pickle_planted_under_a_page_key_is_never_unpickled(app, redis_server, urls, planted):
    with app.app_context():
        key = PREFIX + pagecache._key(content_version.current(), "vi", "/", "")
    redis_server.client.set(key, planted)
    unpickled.clear()
    for reader in (app.test_client(use_cookies=False), app.test_client()):
        response = reader.get("/")
        assert response.status_code == 200
        assert "Tin trên Redis" in response.get_data(as_text=True)
    assert unpickled == []
    assert redis_server.client.get(key).startswith(MAGIC)  # rendered again, stored our way


def test_junk_query_strings_add_no_key_to_redis(app, redis_server, urls):
    for url in urls:
        app.test_client().get(url)
    before = redis_server.client.dbsize()
    for n in range(50):
        for reader in (app.test_client(use_cookies=False), app.test_client()):
            assert reader.get(f"/?utm_source=n{n}&fbclid={n}&page=1").status_code == 200
    assert redis_server.client.dbsize() == before


def test_reader_pages_answer_when_redis_stops(app, redis_server, urls, caplog):
    caplog.set_level(logging.WARNING, logger="newsportal.pagestore")
    assert set(_read_everything(app, urls, times=1)) == {200}  # cached now
    assert _page_keys(redis_server)
    redis_server.stop()
    assert set(_read_everything(app, urls)) == {200}
    assert len(_warnings(caplog)) == 1


def test_reader_pages_answer_when_redis_is_full(app, redis_server, urls, caplog):
    caplog.set_level(logging.WARNING, logger="newsportal.pagestore")
    redis_server.fill()
    assert set(_read_everything(app, urls)) == {200}
    assert _page_keys(redis_server) == []
    (warning,) = _warnings(caplog)
    assert "OutOfMemoryError" in warning.getMessage()


def test_the_cache_is_used_again_once_redis_has_room(app, redis_server, urls, caplog):
    caplog.set_level(logging.INFO, logger="newsportal.pagestore")
    redis_server.fill()
    _read_everything(app, urls, times=1)
    redis_server.client.config_set("maxmemory", "0")  # room again
    assert set(_read_everything(app, urls)) == {200}
    assert len(_page_keys(redis_server)) == len(urls)
    assert [r.levelname for r in caplog.records if r.name == "newsportal.pagestore"] == [
        "WARNING",
        "INFO",
    ]
