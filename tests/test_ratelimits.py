"""The rate limiter over a storage that does not answer: every call still counts, in memory."""

from __future__ import annotations

import logging
import socket

import pytest
from limits import parse
from limits.storage import storage_from_string

from newsportal.ratelimits import FallbackLimiter

LIMIT = parse("3 per 10 minutes")
pytestmark = pytest.mark.sqlite_only("the limiter does not use the database")


@pytest.fixture
def limiter() -> FallbackLimiter:
    """A limiter over a Redis URL nobody listens on (a port just freed): every call fails."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    storage = storage_from_string(f"redis://127.0.0.1:{port}/0", wrap_exceptions=True)
    return FallbackLimiter(storage, "fixed-window", retry_seconds=3600)  # type: ignore[arg-type]


def test_a_sign_in_throttle_reads_its_window_from_memory_while_the_storage_fails(limiter, caplog):
    caplog.set_level(logging.WARNING, "newsportal.ratelimits")
    stats = limiter.get_window_stats(LIMIT, "login", "198.51.100.7")
    assert stats.remaining == 3
    assert limiter.on_memory
    assert limiter.hit(LIMIT, "login", "198.51.100.7")
    assert limiter.hit(LIMIT, "login", "198.51.100.7")
    assert limiter.get_window_stats(LIMIT, "login", "198.51.100.7").remaining == 1
    assert limiter.get_window_stats(LIMIT, "login", "203.0.113.9").remaining == 3  # others apart
    assert len([r for r in caplog.records if r.name == "newsportal.ratelimits"]) == 1


def test_a_successful_sign_in_clears_its_count_even_while_the_storage_fails(limiter):
    limiter.clear(LIMIT, "login", "198.51.100.7")  # the first call to fail: no error for the user
    assert limiter.on_memory
    for _ in range(3):
        assert limiter.hit(LIMIT, "login", "198.51.100.7")
    assert not limiter.test(LIMIT, "login", "198.51.100.7")  # the fourth would be refused
    limiter.clear(LIMIT, "login", "198.51.100.7")
    assert limiter.test(LIMIT, "login", "198.51.100.7")
    assert limiter.get_window_stats(LIMIT, "login", "198.51.100.7").remaining == 3
