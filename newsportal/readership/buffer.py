"""Views counted where a page view costs nothing: Redis (REDIS_URL) when set, else process memory.

A beacon adds one to an article's count here, never in the database; `flush` (services.py) takes
the counts at most once a READERSHIP_FLUSH_SECONDS and writes them in one upsert. Both buffers
hold READERSHIP_MAX_ARTICLES distinct articles at most: a flood of made-up ids fills them up to
that, and the flush drops the ids no published article has. What is counted is an article id and
a number: no address, no cookie, no User-Agent.

Redis failing costs no page an error: the view is counted in memory instead, and the next flush
takes both; a Redis that cannot be reached is left alone for a few seconds, as the page cache
leaves it (pagestore.py). A flush that claims its turn is alone across servers (a key set with
NX and an expiry); without Redis each process flushes its own counts, at most once a minute.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import current_app
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..pagestore import REDIS_OPTIONS, RETRY_SECONDS

log = logging.getLogger(__name__)
EXTENSION = "newsportal.readership"
Counts = dict[int, int]

# One round trip, atomic: an article already counted grows; a new one only while there is room.
ADD = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[2])
then return redis.call('HINCRBY', KEYS[1], ARGV[1], 1) end
return 0
"""


def clock() -> float:
    """Seconds, monotonic; tests patch it."""
    return time.monotonic()


class MemoryBuffer:
    """Counts in this process, behind a lock (a worker may run several threads)."""

    def __init__(self, limit: int, every: float) -> None:
        self.limit = limit
        self.every = every
        self.counts: Counts = {}
        self.lock = threading.Lock()
        self.flushed_at = clock()  # the first flush comes a period after start, not at once

    def add(self, article_id: int) -> bool:
        with self.lock:
            if article_id not in self.counts and len(self.counts) >= self.limit:
                return False
            self.counts[article_id] = self.counts.get(article_id, 0) + 1
            return True

    def take(self) -> Counts:
        with self.lock:
            taken, self.counts = self.counts, {}
            return taken

    def due(self) -> bool:
        """Whether this process's turn to flush has come; claims it when it has."""
        now = clock()
        with self.lock:
            if now - self.flushed_at < self.every:
                return False
            self.flushed_at = now
            return True


class RedisBuffer(MemoryBuffer):
    """Counts in one Redis hash shared by every server; memory while Redis fails."""

    def __init__(self, client: redis.Redis, key: str, limit: int, every: float) -> None:
        super().__init__(limit, every)
        self.client = client
        self.key = key
        self._add: Callable[..., Any] = client.register_script(ADD)
        self.failing = False
        self.paused_until = 0.0  # a Redis that cannot be reached is left alone this long

    def add(self, article_id: int) -> bool:
        if self._paused():
            return super().add(article_id)
        try:
            added = bool(self._add(keys=[self.key], args=[article_id, self.limit]))
        except RedisError as error:
            self._failed(error)
            return super().add(article_id)
        self.failing = False
        return added

    def take(self) -> Counts:
        taken = super().take()
        if self._paused():
            return taken
        try:
            with self.client.pipeline(transaction=True) as pipe:  # read and empty, atomically
                pipe.hgetall(self.key)
                pipe.delete(self.key)
                raw, _ = pipe.execute()
        except RedisError as error:
            self._failed(error)
            return taken
        for article_id, views in raw.items():
            key = int(article_id)
            taken[key] = taken.get(key, 0) + int(views)
        return taken

    def due(self) -> bool:
        if not super().due():  # this process asks Redis once a period at most
            return False
        if self._paused():
            return True  # its own memory counts still need writing
        try:
            claimed = self.client.set(
                f"{self.key}:flush", b"1", nx=True, ex=max(1, int(self.every))
            )
        except RedisError as error:
            self._failed(error)
            return True  # its own memory counts still need writing
        return bool(claimed) or bool(self.counts)

    def _paused(self) -> bool:
        return time.monotonic() < self.paused_until

    def _failed(self, error: RedisError) -> None:
        if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
            self.paused_until = time.monotonic() + RETRY_SECONDS
        if not self.failing:
            self.failing = True
            log.warning("readership: Redis failed (%r); counting views in process memory", error)


def make(config: Any) -> MemoryBuffer:
    limit = int(config["READERSHIP_MAX_ARTICLES"])
    every = float(config["READERSHIP_FLUSH_SECONDS"])
    url = config.get("REDIS_URL")
    if not url:
        return MemoryBuffer(limit, every)
    client = redis.Redis.from_url(url, **REDIS_OPTIONS)
    return RedisBuffer(client, str(config["READERSHIP_REDIS_KEY"]), limit, every)


def current() -> MemoryBuffer:
    """This app's buffer (views.register made it)."""
    found: MemoryBuffer = current_app.extensions[EXTENSION]
    return found
