"""Counting a view and writing the counts: the one write path of `ArticleView`.

A view is a number in the buffer (buffer.py), never a database write; the counts reach the
database in one upsert per flush, at most once a READERSHIP_FLUSH_SECONDS. A flush runs in a
transaction of its own, never the request's session, and changes no public content: the content
version stays (models/readership.py says why).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from limits import parse
from limits.strategies import RateLimiter
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..comments.services import ip_hash
from ..extensions import db
from ..models import Article, ArticleView, published_filter
from ..text import utcnow
from .buffer import Counts, MemoryBuffer

log = logging.getLogger(__name__)

# Rough on purpose: a crawler that says what it is, and tools that send no browser's name. A bot
# dressed as a browser is counted; a reader is never refused anything for it.
BOT = re.compile(r"bot|crawl|spider|slurp|headless|lighthouse|curl|wget|python|http", re.I)
MAX_ID = 2**31 - 1  # an INTEGER column: a larger id names no article
CHUNK = 1000  # rows per statement, well under SQLite's bound on parameters


@dataclass(frozen=True)
class Visit:
    """What a beacon request tells: an article, and enough to tell a bot and rate-limit it."""

    article_id: int
    user_agent: str
    ip: str


@dataclass(frozen=True)
class Policy:
    buffer: MemoryBuffer
    rate_limit: str | None  # per address (hashed), None: not limited
    limiter: RateLimiter | None
    secret: str  # IP_HASH_KEY: the limit's key, never the address itself


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or BOT.search(user_agent) is not None


def count_view(visit: Visit, policy: Policy) -> bool:
    """Count one view in the buffer: O(1), no query. False when it was not counted."""
    if not 0 < visit.article_id <= MAX_ID or is_bot(visit.user_agent):
        return False
    if policy.rate_limit and policy.limiter is not None:
        key = ip_hash(visit.ip, policy.secret)
        if not policy.limiter.hit(parse(policy.rate_limit), "readership", key):
            return False
    return policy.buffer.add(visit.article_id)


def maybe_flush(buffer: MemoryBuffer) -> int | None:
    """The flush when its turn has come (None otherwise): a beacon asks, most answer at once."""
    if not buffer.due():
        return None
    return flush(buffer)


def flush(buffer: MemoryBuffer, day: date | None = None) -> int:
    """Add the buffered counts to the day's rows (UTC); ids of no published article are dropped.

    Returns how many articles' counts were written."""
    counts = buffer.take()
    if not counts:
        return 0
    try:
        return _write(counts, day or utcnow().date())
    except SQLAlchemyError:
        log.exception("readership: %d articles' views could not be written", len(counts))
        return 0


def _write(counts: Counts, day: date) -> int:
    written = 0
    with db.engine.begin() as connection:
        upsert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        for ids in _chunks(sorted(counts)):
            known = connection.scalars(
                select(Article.id).where(Article.id.in_(ids), published_filter())
            ).all()
            if not known:
                continue
            rows = [{"article_id": i, "day": day, "views": counts[i]} for i in known]
            statement: Any = upsert(ArticleView).values(rows)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["article_id", "day"],
                    set_={"views": ArticleView.views + statement.excluded.views},
                )
            )
            written += len(rows)
    return written


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
