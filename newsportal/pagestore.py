"""Where cached pages are kept: bytes of our own format, and a store that survives Redis failing.

No pickle: flask-caching's backends pickle what they are given, and unpickling bytes read from
Redis runs whatever code those bytes name, so anyone who can write to Redis would run code in
every app server. Here an entry is a short JSON header and the body, the backend is handed
those bytes as they are (`BytesOnly`), and anything read back that is not in this format is a
miss: the page is rendered again and overwrites it.

Redis down, unreachable or full (`OutOfMemoryError`): the page is rendered uncached, never a
500. The first failure is logged as a warning, then nothing until a write succeeds again (a
full Redis still answers reads, so only a successful write says it recovered). While Redis
cannot be reached at all, it is left alone for `RETRY_SECONDS`, so a dead server costs readers
no connection attempt each.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .extensions import cache

log = logging.getLogger(__name__)

MAGIC = b"newsportal-page/1\n"
RETRY_SECONDS = 5.0
REDIS_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}  # never hang a page
EXTENSION = "newsportal.pagestore"


@dataclass(frozen=True)
class Entry:
    body: bytes
    content_type: str
    etag: str
    kept: tuple[tuple[str, str], ...]  # the few response headers a cached page keeps


def pack(entry: Entry) -> bytes:
    header = {"type": entry.content_type, "etag": entry.etag, "kept": entry.kept}
    return MAGIC + json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n" + entry.body


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def unpack(raw: Any) -> Entry | None:
    """The entry stored as `raw`, or None for anything else (a miss, never an error)."""
    if not isinstance(raw, bytes) or not raw.startswith(MAGIC):
        return None
    header, newline, body = raw[len(MAGIC) :].partition(b"\n")
    try:
        fields = json.loads(header)
        kept = tuple((_text(name), _text(value)) for name, value in fields["kept"])
        return Entry(body, _text(fields["type"]), _text(fields["etag"]), kept) if newline else None
    except (ValueError, KeyError, TypeError):
        return None


class BytesOnly:
    """A cachelib serializer that stores the bytes it is given and reads bytes back: no pickle."""

    def dumps(self, value: Any) -> bytes:
        if not isinstance(value, bytes):
            raise TypeError("the page cache stores bytes only")
        return value

    def loads(self, value: Any) -> Any:
        return value


class Store:
    """get/set of page entries that answer a miss, never an exception, when Redis fails."""

    def __init__(self) -> None:
        self.failing = False
        self.paused_until = 0.0

    def get(self, key: str) -> Entry | None:
        if self._paused():
            return None
        try:
            raw = cache.get(key)
        except RedisError as error:
            self._failed(error)
            return None
        return unpack(raw)

    def set(self, key: str, entry: Entry, timeout: int) -> None:
        if self._paused():
            return
        try:
            cache.set(key, pack(entry), timeout=timeout)
        except RedisError as error:
            self._failed(error)
            return
        if self.failing:
            self.failing = False
            log.info("page cache: Redis answers again; reader pages are cached again")

    def _paused(self) -> bool:
        return time.monotonic() < self.paused_until

    def _failed(self, error: RedisError) -> None:
        if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
            self.paused_until = time.monotonic() + RETRY_SECONDS
        if not self.failing:
            self.failing = True
            log.warning("page cache: Redis failed (%r); reader pages are served uncached", error)


def store() -> Store:
    """This app's store (its failure state is per app, like its Redis connection)."""
    found: Store = current_app.extensions[EXTENSION]
    return found
