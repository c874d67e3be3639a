"""The mixed run: readers spread over the site as a popularity curve spreads them, while the desks
write.

Up to 10,000 article URLs, home, 20 category pages and their page 2, ranked in a seeded random
order and drawn by wrk with Zipf weights (exponent 1.0, seeded per wrk thread). Meanwhile this
process, as the desks would, approves a comment every 2 s on an article drawn from the same curve
and edits one every 30 s. Hit rate = reader look-ups answered from the page cache / all of them,
from the site's own Prometheus counters over the measured window. The readers' request rate is
compared with the bare app measured just before, with the same wrk settings.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from . import data, load
from .servers import MEMORY_TARGET_MB, BenchError, Server, memory_figures

ARTICLE_URLS = 10_000
CATEGORY_PAGES = 20
EXPONENT = 1.0
SEED = 20261203
APPROVE_EVERY = 2.0
EDIT_EVERY = 30.0
WARMUP_S = 10
MEASURED_S = 60
HIT_RATE_TARGET = 0.95
RATE_TARGET = 0.5
TITLE = (
    f"mixed: Zipf {EXPONENT} over up to {ARTICLE_URLS:,} articles, home and {CATEGORY_PAGES} "
    f"categories (pages 1 and 2); an approval every {APPROVE_EVERY:g} s, an edit every "
    f"{EDIT_EVERY:g} s; {WARMUP_S} s warm-up, {MEASURED_S} s measured; page cache on\n"
    f"{'':17} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare/s':>8} {'ratio':>6}"
)

_SCRIPT = """
local file, seed = %(file)s, %(seed)d
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local paths, cumulative, n = {}, {}, 0
function init(args)
  math.randomseed(seed + id)
  for line in io.lines(file) do
    local weight, path = line:match("^(%%S+)\\t(.+)$")
    n = n + 1
    cumulative[n] = tonumber(weight)
    paths[n] = path
  end
end
function request()
  local r = math.random() * cumulative[n]
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end
"""


@dataclass(frozen=True)
class Curve:
    """The URLs in popularity order, with their cumulative Zipf weights."""

    paths: list[str]
    cumulative: list[float]
    articles: dict[str, int] = field(default_factory=dict)  # article path -> id

    def draw_article(self, rng: random.Random) -> int:
        """An article id drawn from the same curve the readers follow."""
        while True:
            path = self.paths[
                bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
            ]
            if path in self.articles:
                return self.articles[path]


def curve(env: dict[str, str]) -> Curve:
    from sqlalchemy import select

    from newsportal.extensions import db
    from newsportal.models import Article, Category, published_filter

    app = data._app(env)
    with app.app_context():
        articles = db.session.execute(
            select(Article.id, Article.slug)
            .where(published_filter())
            .order_by(Article.published_at.desc(), Article.id.desc())
            .limit(ARTICLE_URLS)
        ).all()
        categories = db.session.scalars(
            select(Category.slug).order_by(Category.position, Category.id).limit(CATEGORY_PAGES)
        ).all()
    by_path = {f"/articles/{slug}": article_id for article_id, slug in articles}
    lists = ["/"] + [f"/categories/{slug}{page}" for slug in categories for page in ("", "?page=2")]
    return zipf(by_path, lists)


def zipf(articles: dict[str, int], lists: list[str]) -> Curve:
    """Every URL ranked in a seeded random order, weighted 1/rank^EXPONENT."""
    paths = list(articles) + lists
    random.Random(SEED).shuffle(paths)  # noqa: S311 (a seeded load pattern, not a secret)
    weights = itertools.accumulate(1.0 / rank**EXPONENT for rank in range(1, len(paths) + 1))
    return Curve(paths, list(weights), articles)


@dataclass
class Writes:
    approved: int = 0
    edited: int = 0
    errors: list[str] = field(default_factory=list)


def _desks(env: dict[str, str], picked: Curve, stop: threading.Event, writes: Writes) -> None:
    """A moderator approving every APPROVE_EVERY s, an editor saving every EDIT_EVERY s, through
    the same services as the desks, in this process on the same database."""
    from newsportal.articles import services as articles
    from newsportal.comments import moderation
    from newsportal.comments import services as comments
    from newsportal.extensions import db
    from newsportal.models import Article

    app = data._app(env)
    rng = random.Random(SEED + 1)  # noqa: S311 (a seeded load pattern, not a secret)
    policy = comments.Policy(secret=app.config["IP_HASH_KEY"], rate_limit=None)
    started = time.monotonic()
    for tick in itertools.count():
        if stop.wait(max(0.0, started + tick * APPROVE_EVERY - time.monotonic())):
            return
        try:
            with app.app_context():
                article = db.session.get_one(Article, picked.draw_article(rng))
                sent = comments.submit_comment(
                    article,
                    comments.CommentInput(
                        name="Bạn đọc đo tải",
                        email=f"doc-gia-{tick}@example.org",
                        body=f"Ý kiến số {tick} về bài này, gửi khi đo tải hỗn hợp.",
                        ip=f"198.51.100.{tick % 250 + 1}",
                        form_age=timedelta(minutes=5),
                    ),
                    policy,
                )
                if sent.comment is None:
                    raise BenchError(f"the comment was refused: {sent}")
                moderation.set_status([sent.comment.id], "approve", None)
                writes.approved += 1
                if tick and tick % round(EDIT_EVERY / APPROVE_EVERY) == 0:
                    edited = db.session.get_one(Article, picked.draw_article(rng))
                    change = articles.data_of(edited)
                    lead = f"{change.lead.split(' [cập nhật')[0]} [cập nhật {tick}]"
                    articles.save_article(edited, replace(change, lead=lead), None, "save")
                    writes.edited += 1
        except Exception as exc:  # a figure without its writes is no figure: reported
            writes.errors.append(f"desk write {tick}: {type(exc).__name__}: {exc}")


_COUNTER = re.compile(r'^newsportal_page_cache_total\{result="(hit|miss)"\} ([0-9.e+]+)$', re.M)


def cache_counts(server: Server) -> dict[str, float]:
    status, body, _c = load.fetch(server.base + "/metrics")
    if status != 200:
        raise BenchError(f"/metrics answered {status}")
    counts = {"hit": 0.0, "miss": 0.0}
    for result, value in _COUNTER.findall(body):
        counts[result] += float(value)
    return counts


def run(
    args: argparse.Namespace,
    dataset: data.Dataset,
    baseline: Server,
    site: Server,
    errors: list[str],
    notes: list[str],
) -> dict[str, Any]:
    """The mixed run on a started site (page cache on, Prometheus in multiprocess mode)."""
    picked = curve(dataset.env())
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.tsv"
        listing.write_text(
            "".join(f"{w!r}\t{p}\n" for w, p in zip(picked.cumulative, picked.paths, strict=True))
        )
        readers = load.Endpoint(
            "mixed",
            "/",
            "reader",
            script_body=_SCRIPT % {"file": load.lua_string(str(listing)), "seed": SEED},
        )
        bare = load.run_wrk(
            baseline.base,
            load.Endpoint("baseline", "/", "baseline"),
            10,
            args.connections,
            args.threads,
        )
        stop, writes = threading.Event(), Writes()
        desks = threading.Thread(target=_desks, args=(dataset.env(), picked, stop, writes))
        desks.start()
        try:
            load.run_wrk(site.base, readers, WARMUP_S, args.connections, args.threads)
            before = cache_counts(site)
            got = load.run_wrk(site.base, readers, MEASURED_S, args.connections, args.threads)
            after = cache_counts(site)
        finally:
            stop.set()
            desks.join()
    memory = _after_a_sign_in(site, urls=picked.paths[:1])
    errors += writes.errors
    if got.status_errors:
        errors.append(f"mixed: {got.status_errors} error responses of {got.requests}")
    hits, misses = (after[k] - before[k] for k in ("hit", "miss"))
    hit_rate = hits / (hits + misses) if hits + misses else 0.0
    ratio = got.rps / bare.rps if bare.rps else 0.0
    notes.append(
        f"mixed: {len(picked.paths):,} URLs ({len(picked.articles):,} articles), "
        f"{writes.approved} approvals and {writes.edited} edits in {WARMUP_S + MEASURED_S} s"
    )
    return {
        "urls": len(picked.paths),
        "rps": round(got.rps, 1),
        "p50_ms": round(got.p50_ms, 2),
        "p99_ms": round(got.p99_ms, 2),
        "baseline_rps": round(bare.rps, 1),
        "ratio": round(ratio, 3),
        "hits": int(hits),
        "misses": int(misses),
        "hit_rate": round(hit_rate, 4),
        "approvals": writes.approved,
        "edits": writes.edited,
        "memory": memory,
        "targets": [
            {"target": f"hit rate >= {HIT_RATE_TARGET:.0%}", "met": hit_rate >= HIT_RATE_TARGET},
            {"target": f"ratio >= {RATE_TARGET}", "met": ratio >= RATE_TARGET},
            {"target": f"memory <= {MEMORY_TARGET_MB} MB", "met": memory["met"]},
        ],
    }


SIGN_INS = 6  # enough for each of the workers to serve one, most runs


def _after_a_sign_in(site: Server, urls: list[str]) -> dict[str, Any]:
    """Each worker's VmRSS and VmHWM once staff have signed in and opened the moderation queue
    as the day goes on (the staff code loaded beside the readers')."""
    for _ in range(SIGN_INS):
        cookie = load.sign_in(site.base, data.MODERATOR, data.MODERATOR_PASSWORD)
        for path in ["/moderation/", *urls]:
            load.fetch(site.base + path, cookie)
    return memory_figures(site.memory_mb("VmRSS"), site.memory_mb("VmHWM"))
