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

Without Redis, each app server keeps its own pages in memory (`LocalPages`): the ones read most
recently, as objects (no packing), up to PAGE_CACHE_ENTRIES pages and PAGE_CACHE_MEGABYTES of
them. Least recently read goes first: readers follow a popularity curve, and a page read every
second must not leave because a thousand others were rendered after it. Pages of an older
version are never read again, so they are the first to go.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

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


class Pages(Protocol):
    def get(self, key: str) -> Entry | None: ...
    def set(self, key: str, entry: Entry, timeout: int) -> None: ...


ENTRY_OVERHEAD = 600  # bytes an entry costs beyond its body: its key, headers, the dict's slot


class LocalPages:
    """This process's pages, most recently read kept, bounded by count and by bytes."""

    def __init__(self, entries: int, megabytes: float) -> None:
        self.max_entries = entries
        self.max_bytes = int(megabytes * 1024 * 1024)
        self.size = 0
        self._pages: OrderedDict[str, tuple[float, int, Entry]] = OrderedDict()
        self._lock = threading.Lock()  # a threaded worker serves several readers at once

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str) -> Entry | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return found[2]

    def set(self, key: str, entry: Entry, timeout: int) -> None:
        cost = len(entry.body) + len(key) + ENTRY_OVERHEAD
        if cost > self.max_bytes:
            return  # one page larger than the whole cache: served, not kept
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic() + timeout, cost, entry)
            self.size += cost
            while len(self._pages) > self.max_entries or self.size > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= self._pages.pop(key)[1]


class Store:
    """get/set of page entries in Redis that answer a miss, never an exception, when it fails."""

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


def store() -> Pages:
    """This app's store: Redis's (its failure state is per app, like its connection), or its
    own pages in memory."""
    found: Pages = current_app.extensions[EXTENSION]
    return found
