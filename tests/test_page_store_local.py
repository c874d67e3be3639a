"""An app server's own page cache (no Redis): the pages read most recently stay, within a count
and a size, whatever order they were rendered in."""

from __future__ import annotations

import os

import pytest

from newsportal import pagestore
from newsportal.pagestore import ENTRY_OVERHEAD, Entry, LocalPages

MB = 1024 * 1024


def page(size: int = 1000) -> Entry:
    return Entry(b"x" * size, "text/html; charset=utf-8", "etag", ())


def noise(size: int) -> Entry:
    """A body zlib cannot shrink."""
    return Entry(os.urandom(size), "application/octet-stream", "e", ())


def cost(key: str, size: int = 1000) -> int:
    return size + len(key) + ENTRY_OVERHEAD


def test_a_page_read_often_stays_while_many_others_come_and_go():
    pages = LocalPages(entries=10, megabytes=1)
    pages.set("home", page(), 60)
    for n in range(100):
        pages.set(f"article-{n}", page(), 60)
        assert pages.get("home") is not None, n  # read between renders: never the oldest
    assert len(pages) == 10
    assert pages.get("article-0") is None  # rendered once, never read again: gone first


@pytest.mark.parametrize("size", [1, 10_000, 100_000])
@pytest.mark.parametrize("body", ["html", "noise"])
def test_the_pages_kept_never_exceed_the_size(size, body):
    pages = LocalPages(entries=10_000, megabytes=1)
    for n in range(200):
        pages.set(f"p{n}", page(size) if body == "html" else noise(size), 60)
        assert pages.size <= MB
        assert pages.raw_size <= pages.max_raw
    kept = [n for n in range(200) if pages.get(f"p{n}") is not None]
    assert kept == list(range(200 - len(kept), 200))  # the newest, in order


def test_a_page_pushed_out_comes_back_whole_and_among_the_most_read():
    pages = LocalPages(entries=1000, megabytes=1)
    first = Entry(os.urandom(1000).hex().encode(), "text/html; charset=utf-8", "e1", (("A", "b"),))
    pages.set("first", first, 60)
    for n in range(300):  # enough to push it out of the pages kept as they are
        pages.set(f"p{n}", page(4000), 60)
    assert pages.raw_size <= pages.max_raw
    assert pages.get("first") == first  # unpacked: the same bytes, type, ETag and headers
    assert next(reversed(pages._raw)) == "first"  # and the most recently read again


def test_compressible_pages_keep_several_times_as_many_in_the_same_memory():
    text = ("<p>Ủy ban nhân dân tỉnh Đồng Tháp tiếp công dân định kỳ.</p>" * 600).encode()
    pages = LocalPages(entries=10_000, megabytes=1)
    for n in range(400):
        pages.set(f"p{n}", Entry(text + str(n).encode(), "text/html", "e", ()), 60)
    as_they_are = MB // cost("p0", len(text))
    assert len(pages) > 3 * as_they_are
    assert pages.size <= MB


def test_a_page_larger_than_the_cache_is_served_but_not_kept():
    pages = LocalPages(entries=10, megabytes=1)
    pages.set("small", page(), 60)
    pages.set("huge", page(MB // 2 + 1), 60)  # more than the half kept as they are
    assert pages.get("huge") is None
    assert pages.get("small") is not None  # nothing else was pushed out for it


def test_storing_a_page_again_replaces_it_and_counts_it_once():
    pages = LocalPages(entries=10, megabytes=1)
    pages.set("home", page(1000), 60)
    pages.set("home", page(2000), 60)
    assert pages.size == cost("home", 2000)
    found = pages.get("home")
    assert found is not None
    assert len(found.body) == 2000


def test_a_page_past_its_time_is_a_miss_and_frees_its_room(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(pagestore.time, "monotonic", lambda: now[0])
    pages = LocalPages(entries=10, megabytes=1)
    pages.set("home", page(), 60)
    now[0] += 59
    assert pages.get("home") is not None
    now[0] += 2
    assert pages.get("home") is None
    assert (len(pages), pages.size) == (0, 0)


def test_the_app_keeps_its_pages_in_process_without_redis(app, client, make_article):
    article = make_article("Tin được giữ trong bộ nhớ")
    store = app.extensions[pagestore.EXTENSION]
    assert isinstance(store, LocalPages)
    assert (store.max_entries, store.max_bytes) == (
        app.config["PAGE_CACHE_ENTRIES"],
        app.config["PAGE_CACHE_MEGABYTES"] * MB,
    )
    client.get(f"/articles/{article.slug}")
    assert len(store) == 1
