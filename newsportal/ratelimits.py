"""Rate limits that keep counting when their storage fails: Redis when it answers, memory if not.

Flask-Limiter falls back to process memory for its own decorators only. The comment pipeline and
the sign-in throttle call a `limits` RateLimiter directly, so they get this one: the configured
storage (RATELIMIT_STORAGE_URI) while it answers; on a storage error (Redis stopped, unreachable,
or full under `noeviction`) the same strategy over a `MemoryStorage`, with one warning logged.
Every RATELIMIT_STORAGE_RETRY_SECONDS it tries the storage again, with a write (a full Redis
still answers reads), and goes back to it once that works.

Never open: while on memory every limit still counts, per worker process, from zero. With N
workers a reader may get N times the limit during an outage, not an unlimited number.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import STRATEGIES, RateLimiter
from limits.util import WindowStats

log = logging.getLogger(__name__)
EXTENSION = "newsportal.ratelimits"
# Written when trying the storage again; its count never matters, only that the write works.
PROBE = parse("1000000000 per 1 minute")


class FallbackLimiter(RateLimiter):
    """A RateLimiter over `storage` that switches to process memory while `storage` fails."""

    def __init__(self, storage: Storage, strategy: str, retry_seconds: float) -> None:
        super().__init__(storage)
        self.primary = STRATEGIES[strategy](storage)
        self.memory = STRATEGIES[strategy](MemoryStorage())
        self.retry_seconds = retry_seconds
        self._failed_at: float | None = None  # monotonic time of the last storage error
        self._lock = threading.Lock()

    @property
    def on_memory(self) -> bool:
        return self._failed_at is not None

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        if self._use_primary():
            try:
                return self.primary.hit(item, *identifiers, cost=cost)
            except StorageError as exc:
                self._failed(exc)
        return self.memory.hit(item, *identifiers, cost=cost)

    def test(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        if self._use_primary():
            try:
                return self.primary.test(item, *identifiers, cost=cost)
            except StorageError as exc:
                self._failed(exc)
        return self.memory.test(item, *identifiers, cost=cost)

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        if self._use_primary():
            try:
                return self.primary.get_window_stats(item, *identifiers)
            except StorageError as exc:
                self._failed(exc)
        return self.memory.get_window_stats(item, *identifiers)

    def clear(self, item: RateLimitItem, *identifiers: str) -> None:
        self.memory.clear(item, *identifiers)  # a count kept during an outage ends too
        if self._use_primary():
            try:
                self.primary.clear(item, *identifiers)
            except StorageError as exc:
                self._failed(exc)

    def _use_primary(self) -> bool:
        failed_at = self._failed_at
        if failed_at is None:
            return True
        if time.monotonic() - failed_at < self.retry_seconds:
            return False
        with self._lock:
            if self._failed_at is None:
                return True  # another thread has just found it working
            try:
                self.primary.hit(PROBE, "storage-probe")
            except StorageError:
                self._failed_at = time.monotonic()  # still failing: no second warning
                return False
            self._failed_at = None
        log.warning("Rate-limit storage answers again; counting there")
        return True

    def _failed(self, error: StorageError) -> None:
        with self._lock:
            first = self._failed_at is None
            self._failed_at = time.monotonic()
        if first:
            log.warning(
                "Rate-limit storage failed (%s); counting in process memory, retrying every %ss",
                error.storage_error,
                self.retry_seconds,
            )


def register(app: Flask) -> None:
    config = app.config
    storage = storage_from_string(
        config["RATELIMIT_STORAGE_URI"],
        wrap_exceptions=True,  # one StorageError whatever the backend's own exceptions are
        **config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )
    app.extensions[EXTENSION] = FallbackLimiter(
        storage,  # type: ignore[arg-type]  # a sync storage: the URI has no async+ scheme
        config.get("RATELIMIT_STRATEGY", "fixed-window"),
        float(config["RATELIMIT_STORAGE_RETRY_SECONDS"]),
    )


def current() -> FallbackLimiter | None:
    """This app's limiter, or None when rate limits are turned off."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    limiter: FallbackLimiter = current_app.extensions[EXTENSION]
    return limiter
