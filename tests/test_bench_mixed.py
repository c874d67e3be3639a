"""The mixed run's load pattern and hit-rate reading (tests/perf/mixed.py), without servers."""

from __future__ import annotations

import random
from collections import Counter

from tests.perf import mixed

ARTICLES = {f"/articles/bai-{n}": n for n in range(1, 501)}
LISTS = ["/", "/categories/thoi-su", "/categories/thoi-su?page=2"]


def test_the_curve_is_zipf_over_every_url_in_a_seeded_order():
    curve = mixed.zipf(ARTICLES, LISTS)
    assert sorted(curve.paths) == sorted([*ARTICLES, *LISTS])
    assert curve.paths == mixed.zipf(ARTICLES, LISTS).paths  # the same order every run
    assert curve.paths[:5] != [*ARTICLES][:5]  # not the newest first
    steps = [b - a for a, b in zip([0.0, *curve.cumulative], curve.cumulative, strict=False)]
    assert steps[0] == 1.0
    assert abs(steps[9] - 1 / 10) < 1e-12
    assert abs(steps[-1] - 1 / len(curve.paths)) < 1e-12


def test_desk_writes_draw_articles_only_and_the_popular_ones_most():
    curve = mixed.zipf(ARTICLES, LISTS)
    rng = random.Random(7)  # noqa: S311 (a seeded draw, not a secret)
    drawn = Counter(curve.draw_article(rng) for _ in range(5000))
    assert set(drawn) <= set(ARTICLES.values())
    top = next(ARTICLES[p] for p in curve.paths if p in ARTICLES)
    assert drawn.most_common(1)[0][0] == top


def test_the_hit_rate_is_read_from_the_sites_own_counters(monkeypatch):
    scrape = (
        "# HELP newsportal_page_cache_total Reader page cache look-ups\n"
        'newsportal_page_cache_total{result="hit"} 1234.0\n'
        'newsportal_page_cache_total{result="miss"} 66.0\n'
        'newsportal_requests_total{endpoint="reader.home",status="2xx"} 1300.0\n'
    )
    monkeypatch.setattr(mixed.load, "fetch", lambda url: (200, scrape, ""))

    class Site:
        base = "http://127.0.0.1:1"

    assert mixed.cache_counts(Site()) == {"hit": 1234.0, "miss": 66.0}


ROW = {
    "rps": 900.0,
    "p50_ms": 5.0,
    "p99_ms": 40.0,
    "baseline_rps": 1500.0,
    "ratio": 0.6,
    "hits": 960,
    "misses": 40,
    "hit_rate": 0.96,
}


def test_the_mixed_row_says_which_targets_are_met():
    from tests.perf import report

    targets = [
        {"target": "hit rate >= 95%", "met": True},
        {"target": "ratio >= 0.5", "met": False},
    ]
    line = report.format_mixed({**ROW, "targets": targets})
    assert "hit rate 96.0% (960 hits, 40 misses)" in line
    assert line.endswith("hit rate >= 95%: met, ratio >= 0.5: MISSED")
    assert "VmRSS" not in line  # a row without memory figures prints none


def test_the_mixed_row_prints_the_workers_memory_after_a_sign_in():
    from tests.perf import report

    memory = {"rss_mb": [81.5, 88.0], "peak_mb": [95.2, 99.0], "met": True}
    targets = [{"target": "memory <= 90.0 MB", "met": True}]
    line = report.format_mixed({**ROW, "memory": memory, "targets": targets})
    assert "memory <= 90.0 MB: met" in line
    assert line.endswith("VmRSS 81.5, 88.0 MB, peak VmHWM 95.2, 99.0 MB")
