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
recently, up to PAGE_CACHE_ENTRIES pages and PAGE_CACHE_MEGABYTES of them, the most read as
objects (no packing), the rest compressed. Least recently read goes first: readers follow a
popularity curve, and a page read every second must not leave because a thousand others were
rendered after it. Pages of an older version are never read again, so they are the first to go.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, replace
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


RAW_SHARE = 0.5  # of PAGE_CACHE_MEGABYTES: the most read pages, as they are; the rest compressed


def _cost(key: str, body: bytes) -> int:
    return len(body) + len(key) + ENTRY_OVERHEAD


class LocalPages:
    """This process's pages, most recently read kept, bounded by count and by bytes.

    The most recently read half of the bytes holds pages as they are, served as they are; a page
    pushed out of it is kept compressed (zlib level 1: a 38 KB article is 9 KB, 0.1 ms to pack,
    0.04 ms to unpack) and unpacked, back among the others, when it is read again. So the same
    memory keeps about three times as many pages, and the popular ones cost nothing more."""

    def __init__(self, entries: int, megabytes: float) -> None:
        self.max_entries = entries
        self.max_bytes = int(megabytes * 1024 * 1024)
        self.max_raw = int(self.max_bytes * RAW_SHARE)
        self.size = 0  # both kinds
        self.raw_size = 0
        self._raw: OrderedDict[str, tuple[float, int, Entry]] = OrderedDict()
        self._packed: OrderedDict[str, tuple[float, int, Entry]] = OrderedDict()
        self._lock = threading.Lock()  # a threaded worker serves several readers at once

    def __len__(self) -> int:
        return len(self._raw) + len(self._packed)

    def get(self, key: str) -> Entry | None:
        with self._lock:
            now = time.monotonic()
            found = self._raw.get(key)
            if found is not None:
                if found[0] <= now:
                    self._forget(key)
                    return None
                self._raw.move_to_end(key)
                return found[2]
            packed = self._packed.pop(key, None)
            if packed is None:
                return None
            self.size -= packed[1]
            if packed[0] <= now:
                return None
            entry = replace(packed[2], body=zlib.decompress(packed[2].body))
            self._keep(key, packed[0], entry)
            return entry

    def set(self, key: str, entry: Entry, timeout: int) -> None:
        if _cost(key, entry.body) > self.max_raw:
            return  # one page larger than the pages kept as they are: served, not kept
        with self._lock:
            self._forget(key)
            self._keep(key, time.monotonic() + timeout, entry)

    def clear(self) -> None:
        with self._lock:
            self._raw.clear()
            self._packed.clear()
            self.size = self.raw_size = 0

    def _keep(self, key: str, expires: float, entry: Entry) -> None:
        cost = _cost(key, entry.body)
        self._raw[key] = (expires, cost, entry)
        self.raw_size += cost
        self.size += cost
        while self.raw_size > self.max_raw:  # the least recently read, compressed
            old, (when, old_cost, page) = self._raw.popitem(last=False)
            self.raw_size -= old_cost
            self.size -= old_cost
            packed = replace(page, body=zlib.compress(page.body, 1))
            self._packed[old] = (when, _cost(old, packed.body), packed)
            self.size += self._packed[old][1]
        while len(self) > self.max_entries or self.size > self.max_bytes:
            if self._packed:  # older than any page kept as it is
                self.size -= self._packed.popitem(last=False)[1][1]
            else:
                self._forget(next(iter(self._raw)))

    def _forget(self, key: str) -> None:
        found = self._raw.pop(key, None)
        if found is not None:
            self.raw_size -= found[1]
            self.size -= found[1]
        packed = self._packed.pop(key, None)
        if packed is not None:
            self.size -= packed[1]


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
