"""Bulk synthetic data for measuring: many articles and comments, inserted fast.

Articles go through the content core's bulk write (`content.bulk.add_many`: the desk's slug
rule, publish, revision and search document, one transaction a batch); comments go in as
executemany batches of a compiled Core INSERT (`bulk_insert.py`), never as ORM objects one by
one. HTML comes from pools rendered by markup.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from sqlalchemy import func, select

from .. import content_version
from ..bulk_insert import insert_rows
from ..content import bulk as content_bulk
from ..content import services as content
from ..extensions import db
from ..models import (
    Article,
    ArticleStatus,
    Category,
    Comment,
    CommentStatus,
    Revision,
    SearchDocument,
    published_filter,
)
from ..text import slugify, utcnow
from . import words, writer
from .bulk import analyze, indexes_rebuilt

# Every table a run adds rows to: their statistics are refreshed at the end.
FILLED = (Category, Article, Revision, SearchDocument, Comment)
ARTICLE_BATCH = 4000
COMMENT_BATCH = 10_000
SHOWCASE_COMMENTS = 50  # the newest article always has exactly this many approved comments
HISTORY = timedelta(days=6 * 365)
DRAFT_SHARE, SCHEDULED_SHARE = 0.03, 0.01
# approved, pending, rejected, spam: cumulative shares
STATUS_CUTS = (
    (0.80, CommentStatus.APPROVED),
    (0.90, CommentStatus.PENDING),
    (0.96, CommentStatus.REJECTED),
    (1.0, CommentStatus.SPAM),
)
REJECT_REASONS = ("off-topic", "offensive", "unverified")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Summary:
    articles: int
    comments: int
    showcase_slug: str | None  # an article with exactly SHOWCASE_COMMENTS approved comments
    deep_category_slug: str
    deep_category_articles: int


@lru_cache(maxsize=2)
def _pools(seed: int, secret: str) -> writer.Pools:
    """Rendering the pools is most of a small run's time; the same seed gives the same pools."""
    return writer.make_pools(random.Random(f"pools-{seed}"), secret)  # noqa: S311


def insert_categories(rows: list[dict[str, Any]]) -> None:
    insert_rows(Category.__table__, rows)
    # Past the session, so its hook does not see them: the menu is kept per version.
    content_version.bump(db.session.connection())
    db.session.commit()


def insert_comments(rows: list[dict[str, Any]]) -> None:
    """One transaction for the batch."""
    insert_rows(Comment.__table__, rows)
    db.session.commit()


def _existing_categories() -> dict[str, int]:
    """Both slug and name point at the id: an editor may have made 'Thời sự' another way."""
    rows = db.session.execute(select(Category.slug, Category.name, Category.id)).all()
    return {**{name: id_ for _s, name, id_ in rows}, **{slug: id_ for slug, _n, id_ in rows}}


def _ensure_categories() -> list[tuple[int, int]]:
    """(id, weight) for each synthetic category, created once and reused by later runs."""
    found = _existing_categories()
    wanted = [(slugify(name), name, weight) for name, weight in words.CATEGORIES]
    missing = [
        {"name": name, "slug": slug, "position": 10 + n}
        for n, (slug, name, _w) in enumerate(wanted)
        if slug not in found and name not in found
    ]
    if missing:
        insert_categories(missing)
        found = _existing_categories()
    return [(found.get(slug) or found[name], weight) for slug, name, weight in wanted]


def _batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def _articles(
    rng: random.Random,
    pools: writer.Pools,
    count: int,
    categories: list[tuple[int, int]],
    now: datetime,
) -> Iterator[list[Article]]:
    """Published times spread over past years, oldest first; the last one is the newest of all."""
    start = (now - HISTORY).timestamp()
    end = (now - timedelta(hours=2)).timestamp()
    times = sorted(rng.uniform(start, end) for _ in range(count))
    if times:
        times[-1] = (now - timedelta(minutes=5)).timestamp()  # the showcase article
    ids = [c for c, _w in categories]
    cum = list(accumulate(w for _c, w in categories))
    for batch in _batches(count, ARTICLE_BATCH):
        articles: list[Article] = []
        for i in batch:
            published: datetime | None = datetime.fromtimestamp(times[i], UTC)
            roll = rng.random()
            if i >= count - 3:  # always one of each: a draft, a scheduled one, the showcase
                roll = (DRAFT_SHARE / 2, DRAFT_SHARE + SCHEDULED_SHARE / 2, 1.0)[i - count + 3]
            if roll < DRAFT_SHARE:
                published = None
            elif roll < DRAFT_SHARE + SCHEDULED_SHARE:
                published = now + timedelta(hours=rng.uniform(1, 24 * 30))
            title = writer.title(rng)
            body_md, body_html = rng.choice(pools.bodies)
            created = (published or now) - timedelta(minutes=rng.randrange(20, 600))
            article = Article(
                title=title,
                lead=writer.lead(rng),
                body_md=body_md,
                body_html=body_html,
                byline=rng.choice(words.REPORTERS),
                category_id=rng.choices(ids, cum_weights=cum)[0],
                status=ArticleStatus.DRAFT,
                created_at=created,
                updated_at=published or created,
            )
            if published is not None:
                content.publish(article, published)  # a future time schedules it
            articles.append(article)
        yield articles


def _comment_row(
    rng: random.Random,
    pools: writer.Pools,
    article_id: int,
    published: float,
    now: float,
    status: str,
) -> dict[str, Any]:
    # Most comments come in the first days after publication.
    created = published + min(now - published, 60 * 86400.0) * rng.random() ** 3
    when = datetime.fromtimestamp(created, UTC)
    name, email = rng.choice(pools.commenters)
    text, html = rng.choice(pools.comments)
    ip_hash = rng.choice(pools.ip_hashes)  # drawn before the moderation time: a seed repeats a run
    moderated_at = None
    if status != CommentStatus.PENDING:
        moderated_at = datetime.fromtimestamp(min(created + rng.uniform(600, 43200), now), UTC)
    return {
        "article_id": article_id,
        "name": name,
        "email": email,
        "body": text,
        "body_html": html,
        "status": status,
        "flags": "",
        "created_at": when,
        "ip_hash": ip_hash,
        "user_agent": "Mozilla/5.0 (Linux; Android 14) synthetic",
        "consent_at": when,
        "notify": False,  # a generated reader asked for no email
        "moderated_by_id": None,
        "moderated_at": moderated_at,
        "reason": rng.choice(REJECT_REASONS) if status == CommentStatus.REJECTED else "",
    }


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return next(status for cut, status in STATUS_CUTS if roll < cut)


def _write_comments(
    rng: random.Random,
    pools: writer.Pools,
    count: int,
    targets: list[tuple[int, float]],
    showcase: int | None,
    now: datetime,
    progress: Progress,
) -> None:
    """A few articles draw hundreds of comments, most draw a handful (log-normal weights)."""
    stamp = now.timestamp()
    rows: list[dict[str, Any]] = []
    if showcase is not None:
        published = dict(targets)[showcase]
        rows = [
            _comment_row(rng, pools, showcase, published, stamp, CommentStatus.APPROVED)
            for _ in range(min(SHOWCASE_COMMENTS, count))
        ]
        targets = [t for t in targets if t[0] != showcase]
    remaining = count - len(rows)
    if remaining and not targets:
        raise ValueError("no published article to attach comments to")
    cum = list(accumulate(rng.lognormvariate(0, 1.3) for _ in targets))
    for batch in _batches(remaining, COMMENT_BATCH):
        picks = rng.choices(targets, cum_weights=cum, k=len(batch))
        rows.extend(_comment_row(rng, pools, a, p, stamp, _status(rng)) for a, p in picks)
        insert_comments(rows)
        progress(len(rows))
        rows = []
    if rows:
        insert_comments(rows)
        progress(len(rows))


def generate(
    articles: int,
    comments: int,
    secret: str,
    seed: int | None = None,
    progress: Progress = lambda n: None,
) -> Summary:
    """Add `articles` articles and `comments` comments; safe to run again (it only adds)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic text, not secrets; a seed repeats a run
    pools = _pools(seed, secret) if seed is not None else writer.make_pools(rng, secret)
    categories = _ensure_categories()
    now = utcnow()
    before = db.session.scalar(select(func.max(Article.id))) or 0
    showcase_slug = None
    bodies: dict[str, dict[str, str]] = {}  # each pooled body is made searchable once
    with indexes_rebuilt(Article.__table__, articles):
        for batch in _articles(rng, pools, articles, categories, now):
            content_bulk.add_many(batch, bodies)  # with their revisions and search documents
            progress(len(batch))
            showcase_slug = batch[-1].slug
    query = select(Article.id, Article.published_at).where(published_filter(now))
    if articles:
        query = query.where(Article.id > before)
    targets = [(i, p.timestamp()) for i, p in db.session.execute(query) if p]
    showcase = None
    if showcase_slug is not None:
        showcase = db.session.scalar(select(Article.id).where(Article.slug == showcase_slug))
    if comments:
        with indexes_rebuilt(Comment.__table__, comments):
            _write_comments(rng, pools, comments, targets, showcase, now, progress)
    content_version.bump(db.session.connection())  # no page cached before this run stays
    db.session.commit()
    analyze([model.__table__ for model in FILLED])
    deep = categories[0][0]
    deep_count = db.session.scalar(
        select(func.count())
        .select_from(Article)
        .where(Article.category_id == deep, published_filter(now))
    )
    deep_slug = db.session.scalar(select(Category.slug).where(Category.id == deep))
    return Summary(
        articles,
        comments,
        showcase_slug if comments >= SHOWCASE_COMMENTS else None,
        deep_slug or "",
        deep_count or 0,
    )
