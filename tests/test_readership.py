""" "Xem nhiều": a beacon counts views in a buffer, a flush writes them at most once a minute, and
the sidebar shows the week's most read, with no reader's address, cookie or browser kept."""

import os
import uuid
from datetime import timedelta

import pytest
import redis
from bs4 import BeautifulSoup
from redis.backoff import NoBackoff
from redis.retry import Retry

from newsportal import content_version
from newsportal.content import services as content_services
from newsportal.extensions import db
from newsportal.models import Article, ArticleView
from newsportal.readership import buffer, queries, services
from newsportal.text import utcnow

from .servers import answers

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


def _beacon(client, article_id, method="post", agent=BROWSER):
    return getattr(client, method)(f"/r/{article_id}", headers={"User-Agent": agent})


def _buffered(app):
    return dict(app.extensions[buffer.EXTENSION].counts)


def _rows(app):
    with app.app_context():
        rows = db.session.scalars(db.select(ArticleView).order_by(ArticleView.day))
        return [(r.article_id, r.day, r.views) for r in rows]


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(buffer, "clock", lambda: now[0])
    return now


@pytest.fixture
def fresh_buffer(app, clock):
    """A memory buffer started at the patched clock's time."""
    made = buffer.MemoryBuffer(limit=3, every=60)
    app.extensions[buffer.EXTENSION] = made
    return made


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_view_is_counted_in_the_buffer_without_a_query(
    app, client, make_article, count_queries, fresh_buffer, method
):
    article = make_article()
    assert count_queries(lambda: _beacon(client, article.id, method)) == 0
    assert count_queries(lambda: _beacon(client, article.id, method)) == 0
    assert _buffered(app) == {article.id: 2}
    assert _rows(app) == []


@pytest.mark.parametrize(
    ("method", "status", "kind"), [("post", 204, None), ("get", 200, "image/gif")]
)
def test_the_beacon_is_never_stored_and_sets_no_cookie(client, make_article, method, status, kind):
    article = make_article()
    client.get(f"/articles/{article.slug}")  # a reader who has just read the page
    response = _beacon(client, article.id, method)
    assert response.status_code == status
    assert response.mimetype == kind if kind else not response.data
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session") is None


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp)",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0 Safari/537.36",
        "Baiduspider/2.0",
        "curl/8.5.0",
    ],
)
@pytest.mark.sqlite_only("the bot check reads the User-Agent, before any write")
def test_bots_are_not_counted(app, client, make_article, fresh_buffer, agent):
    article = make_article()
    assert _beacon(client, article.id, agent=agent).status_code == 204
    assert _buffered(app) == {}


def test_the_buffer_holds_a_bounded_number_of_articles(app, client, make_article, fresh_buffer):
    article = make_article()
    for made_up in (900001, 900002, 900003, 900004, 900005):
        _beacon(client, made_up)
    _beacon(client, 2**40)  # not even an id
    assert len(_buffered(app)) == 3
    assert fresh_buffer.add(900001)  # one already held still counts
    assert not fresh_buffer.add(article.id)


def test_views_are_written_at_most_once_a_minute(app, client, make_article, clock, fresh_buffer):
    article = make_article()
    counted = []
    for now in (1010, 1059, 1061, 1100, 1120.5, 1122):
        clock[0] = now
        _beacon(client, article.id)
        counted.append(sum(views for _, _, views in _rows(app)))
    # flushed by the beacons at 1061 (its own view included) and 1122: each a minute after the last
    assert counted == [0, 0, 3, 3, 3, 6]


def test_a_flush_adds_to_the_days_row_and_drops_what_is_no_published_article(
    app, make_article, fresh_buffer
):
    article = make_article()
    draft = make_article("Bản nháp", when=None)
    today = utcnow().date()
    with app.app_context():
        before = content_version.current().version
        for article_id in (article.id, article.id, draft.id, 900001):
            fresh_buffer.add(article_id)
        assert services.flush(fresh_buffer, today) == 1
        fresh_buffer.add(article.id)
        assert services.flush(fresh_buffer, today) == 1
        fresh_buffer.add(article.id)
        assert services.flush(fresh_buffer, today + timedelta(days=1)) == 1
        assert services.flush(fresh_buffer) == 0  # nothing buffered: no statement
        assert content_version.current().version == before  # no cached page thrown away
    assert _rows(app) == [(article.id, today, 3), (article.id, today + timedelta(days=1), 1)]


def _views(app, buf, article, day, n):
    with app.app_context():
        for _ in range(n):
            buf.add(article.id)
        services.flush(buf, day)


def test_most_read_sums_the_last_seven_days_of_published_articles(app, make_article, fresh_buffer):
    today = utcnow().date()
    steady = make_article("Đọc đều cả tuần", when=-600)
    old = make_article("Nổi tiếng tuần trước", when=-600)
    newer = make_article("Mới nhưng ít người đọc")
    for days_ago in range(7):
        _views(app, fresh_buffer, steady, today - timedelta(days=days_ago), 2)  # 14 in the week
    _views(app, fresh_buffer, old, today - timedelta(days=7), 100)  # a day too early
    _views(app, fresh_buffer, old, today, 1)
    _views(app, fresh_buffer, newer, today, 5)
    hidden = make_article("Sẽ bị gỡ", when=-600)
    _views(app, fresh_buffer, hidden, today, 50)
    with app.app_context():
        content_services.unpublish(db.session.get(Article, hidden.id), None)
        found = queries.most_read()
        assert [(m.title, m.views) for m in found] == [
            ("Đọc đều cả tuần", 14),
            ("Mới nhưng ít người đọc", 5),
            ("Nổi tiếng tuần trước", 1),
        ]
        assert [m.title for m in queries.most_read(limit=1)] == ["Đọc đều cả tuần"]


def test_the_article_page_is_the_same_for_every_reader_and_carries_the_beacon(app, make_article):
    article = make_article()
    first, second = app.test_client(), app.test_client()
    one = first.get(f"/articles/{article.slug}", headers={"User-Agent": BROWSER})
    two = second.get(f"/articles/{article.slug}", headers={"User-Agent": "Firefox/128.0"})
    assert one.data == two.data
    assert one.headers["ETag"] == two.headers["ETag"]
    page = BeautifulSoup(one.data, "html5lib")
    script = page.select_one("script[data-beacon-url]")
    assert script["data-beacon-url"] == f"/r/{article.id}"
    assert script["src"].startswith("/static/js/readership")
    assert script.has_attr("defer")
    fallback = BeautifulSoup(page.find("noscript").decode_contents(), "html5lib").img
    assert fallback["src"] == f"/r/{article.id}"
    assert fallback["alt"] == ""


@pytest.mark.parametrize(("lang", "heading"), [("vi", "Xem nhiều"), ("en", "Most read")])
def test_the_sidebar_shows_the_most_read(app, client, make_article, fresh_buffer, lang, heading):
    article = make_article("Bài được đọc nhiều")
    _views(app, fresh_buffer, article, utcnow().date(), 3)
    page = BeautifulSoup(client.get(f"/?lang={lang}").data, "html5lib")
    block = page.select_one("#side-most-read").parent
    assert block.h2.get_text() == heading
    assert [a.get_text() for a in block.select("ol a")] == ["Bài được đọc nhiều"]
    assert block.a["href"] == f"/articles/{article.slug}"


def test_no_views_no_block(client, make_article):
    make_article()
    assert BeautifulSoup(client.get("/").data, "html5lib").select_one("#side-most-read") is None


def test_the_command_writes_the_buffer_now(app, runner, make_article, fresh_buffer):
    article = make_article()
    fresh_buffer.add(article.id)
    result = runner.invoke(args=["readership", "flush"])
    assert result.exit_code == 0, result.output
    assert "1 articles" in result.output
    assert [views for _, _, views in _rows(app)] == [1]


@pytest.fixture
def redis_buffer(clock):
    if not answers(6379):
        message = "no Redis server answers on 127.0.0.1:6379"
        if os.environ.get("NEWSPORTAL_TEST_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    key = f"readershiptest{uuid.uuid4().hex}"
    made = buffer.RedisBuffer(client, key, limit=2, every=60)
    yield made
    client.delete(key, f"{key}:flush")
    client.close()


@pytest.mark.sqlite_only("the buffer is in Redis, whatever the database")
def test_the_redis_buffer_counts_bounded_and_flushes_once_a_minute_for_all(redis_buffer, clock):
    assert redis_buffer.add(7)
    assert redis_buffer.add(7)
    assert redis_buffer.add(8)
    assert not redis_buffer.add(9)  # full
    assert redis_buffer.client.hgetall(redis_buffer.key) == {b"7": b"2", b"8": b"1"}
    assert redis_buffer.counts == {}  # nothing in this process's memory
    other = buffer.RedisBuffer(redis_buffer.client, redis_buffer.key, limit=2, every=60)
    clock[0] += 61
    assert redis_buffer.due()
    assert not other.due()  # another server: this minute's flush is taken
    assert redis_buffer.take() == {7: 2, 8: 1}
    assert redis_buffer.take() == {}


@pytest.mark.sqlite_only("the buffer is in Redis, whatever the database")
def test_views_are_counted_in_memory_while_redis_fails(clock):
    broken = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    made = buffer.RedisBuffer(broken, "readershiptest-down", limit=2, every=60)
    assert made.add(7)
    assert made.paused_until > 0  # the next views do not wait for a connection
    assert made.add(7)
    clock[0] += 61
    assert made.due()  # the memory counts are written on time
    assert made.take() == {7: 2}


def test_a_head_request_is_not_a_read(app, client, make_article, fresh_buffer):
    article = make_article()
    response = client.head(f"/r/{article.id}", headers={"User-Agent": BROWSER})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert _buffered(app) == {}
