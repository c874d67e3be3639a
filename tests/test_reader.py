"""What readers see: home, article, category; drafts and scheduled articles stay hidden."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

import newsportal.content_version
import newsportal.extensions
import newsportal.models.articles
from newsportal.text import utcnow


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_home_shows_newest_large_with_lead_then_a_list(client, make_article, make_category):
    cat = make_category("Kinh tế")
    make_article("Bài cũ hơn", when=-120, category_id=cat, lead="Sapo bài cũ.")
    make_article("Bài mới nhất", when=-5, lead="Sapo bài mới nhất.")
    page = soup(client.get("/"))
    top = page.select_one(".top-story")
    assert top.h2.get_text(strip=True) == "Bài mới nhất"
    assert top.select_one(".lead").get_text(strip=True) == "Sapo bài mới nhất."
    headlines = page.select(".headlines li")
    assert [h.h3.get_text(strip=True) for h in headlines] == ["Bài cũ hơn"]
    assert headlines[0].find("time") is not None
    assert page.find("a", href="/categories/kinh-te") is not None


def test_home_paginates(app, client, make_article):
    app.config["ARTICLES_PER_PAGE"] = 3
    for n in range(7):
        make_article(f"Tin số {n}", when=-100 + n)
    first, second, third = (soup(client.get(url)) for url in ("/", "/?page=2", "/?page=3"))
    heads = ".top-story h2, .headlines h3, .card h3"
    titles = lambda p: [a.get_text(strip=True) for a in p.select(heads)]  # noqa: E731
    assert titles(first) == ["Tin số 6", "Tin số 5", "Tin số 4"]
    assert titles(second) == ["Tin số 3", "Tin số 2", "Tin số 1"]
    assert titles(third) == ["Tin số 0"]
    assert second.select_one(".top-story") is None  # the large story is only on page one
    assert first.find("a", rel="next")["href"] == "/?page=2"
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404
    assert client.get("/?page=abc").status_code == 200


def test_article_page_has_everything_the_seed_page_has(client, make_article, make_category):
    cat = make_category("Hoạt động Hội")
    article = make_article(
        "Đồng Tháp: Tin thử", category_id=cat, lead="Sapo in đậm.", body="Đoạn một.\n\nĐoạn hai."
    )
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Đồng Tháp: Tin thử"
    assert page.select_one(".article .lead").get_text(strip=True) == "Sapo in đậm."
    assert [p.get_text() for p in page.select(".article .body p")] == ["Đoạn một.", "Đoạn hai."]
    assert page.select_one(".byline").get_text(strip=True) == "Minh Hằng"
    assert page.select_one(".breadcrumbs li + li a")["href"] == "/categories/hoat-dong-hoi"
    assert page.select_one(".article time")["datetime"].endswith("+07:00")
    assert page.select_one("#comments") is not None


@pytest.mark.parametrize("when", [None, 90])
def test_drafts_and_scheduled_are_nowhere_public(client, make_article, make_category, when):
    cat = make_category()
    hidden = make_article("Bài chưa được đăng", when=when, category_id=cat)
    assert client.get(f"/articles/{hidden.slug}").status_code == 404
    for url in ("/", "/categories/thoi-su"):
        assert "Bài chưa được đăng" not in client.get(url).get_data(as_text=True)


def test_scheduled_article_appears_when_due_without_any_job(client, make_article, monkeypatch):
    scheduled = make_article("Thông báo hẹn giờ", when=30)
    assert client.get(f"/articles/{scheduled.slug}").status_code == 404
    later = utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(newsportal.models.articles, "utcnow", lambda: later)
    monkeypatch.setattr(newsportal.content_version, "utcnow", lambda: later)
    assert client.get(f"/articles/{scheduled.slug}").status_code == 200
    assert "Thông báo hẹn giờ" in client.get("/").get_data(as_text=True)


def test_category_page_lists_only_its_articles(client, make_article, make_category):
    economy = make_category("Kinh tế")
    society = make_category("Văn hóa - Xã hội")
    make_article("Giá lúa tăng", category_id=economy)
    make_article("Lễ hội sen", category_id=society)
    page = soup(client.get("/categories/kinh-te")).select_one(".main-col").get_text()
    assert "Giá lúa tăng" in page
    assert "Lễ hội sen" not in page  # the sidebar's latest news may name it, the list may not
    assert client.get("/categories/khong-co").status_code == 404


def test_header_nav_and_footer(client, make_category):
    make_category("Thời sự", position=2)
    make_category("Kinh tế", position=1)
    page = soup(client.get("/"))
    nav = [a.get_text(strip=True) for a in page.select(".main-nav a")]
    assert nav[1:3] == ["Kinh tế", "Thời sự"]  # in the editors' order
    footer = page.select_one(".site-footer")
    link = footer.find("a", href="/pages/khieu-nai-to-cao")
    assert link.get_text(strip=True) == "Giải quyết khiếu nại, tố cáo"
    assert "Điện thoại" in footer.get_text()
    assert page.find("a", class_="skip-link")["href"] == "#main"


def test_friendly_404_in_vietnamese(client):
    response = client.get("/articles/khong-ton-tai")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_vietnamese_by_default_whatever_the_browser_asks(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert soup(page).html["lang"] == "vi"
    assert "Trang chủ" in page.get_data(as_text=True)


def test_lang_en_switches_for_the_session_and_back(client):
    assert soup(client.get("/?lang=en")).html["lang"] == "en"
    page = client.get("/")
    assert soup(page).html["lang"] == "en"
    assert "Home" in page.get_data(as_text=True)
    assert soup(client.get("/?lang=vi")).html["lang"] == "vi"
    assert soup(client.get("/?lang=xx")).html["lang"] == "vi"


def test_language_link_keeps_the_page_and_its_query(client, make_article):
    for n in range(12):
        make_article(f"Tin {n}", when=-100 + n)
    link = soup(client.get("/?page=2")).find("a", hreflang="en")["href"]
    assert link == "/?page=2&lang=en"


def test_home_query_count_does_not_grow_with_articles(
    client, make_article, make_category, count_queries
):
    cat = make_category()
    make_article("Một", category_id=cat)
    few = count_queries(lambda: client.get("/"))
    for n in range(15):
        make_article(f"Bài {n}", category_id=cat)
    many = count_queries(lambda: client.get("/"))
    assert few == many
    # the version and the menu (new since the articles were added), the latest page and its count,
    # the category blocks (one ROW_NUMBER query), the comment counts (one grouped query), and the
    # sidebar: most read, sessions, its pages, results, documents
    assert many == 11


@pytest.mark.parametrize("fragments", [True, False], ids=["sidebar-kept", "fragments-off"])
def test_article_and_category_pages_use_few_queries(
    app, client, make_article, make_category, count_queries, fragments
):
    app.config["FRAGMENT_CACHE_ENABLED"] = fragments
    cat = make_category()
    article = make_article("Bài đếm truy vấn", category_id=cat)
    # the version, the menu (the first page since the article was added), the article with its
    # tags, its comments, related articles (no comment counts: its scope is its own comments),
    # and the sidebar's six (latest, most read, sessions, its pages, results, documents)
    assert count_queries(lambda: client.get(f"/articles/{article.slug}")) == 11
    # the same version: its menu is known, and its sidebar too unless fragments are off
    assert count_queries(lambda: client.get("/categories/thoi-su")) == (4 if fragments else 10)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_pagination_counts_up_to_a_cap_and_still_reaches_later_pages(app, make_article):
    from newsportal.articles.queries import _published
    from newsportal.pagination import capped_paginate

    for n in range(7):
        make_article(f"Tin số {n}", when=-100 + n)
    with app.app_context():
        first = capped_paginate(_published(), 1, 2, cap=3)
        assert [a.title for a in first.items] == ["Tin số 6", "Tin số 5"]
        assert first.has_next
        assert first.total == 3  # counted no further than the cap
        third = capped_paginate(_published(), 3, 2, cap=3)
        assert [a.title for a in third.items] == ["Tin số 2", "Tin số 1"]
        assert third.has_next  # the extra row it read says a fourth page exists
        last = capped_paginate(_published(), 4, 2, cap=3)
        assert [a.title for a in last.items] == ["Tin số 0"]
        assert not last.has_next
        exact = capped_paginate(_published(), 1, 2, cap=100)
        assert exact.total == 7
        assert exact.pages == 4


def _counts(app, request) -> int:
    """How many statements `request` runs that count a list (not comment counts' GROUP BY)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = newsportal.extensions.db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return sum(statement.lower().startswith("select count(") for statement in seen)


def test_a_lists_count_is_kept_for_the_content_version_and_follows_it(
    app, make_article, make_category
):
    """Counted once per version: which articles are published changes only with the version."""
    from newsportal.pagination import COUNTS

    app.config["PAGE_CACHE_ENABLED"] = False  # every request renders
    cat = make_category("Thời sự")
    for n in range(12):
        last = make_article(f"Tin số {n}", when=-100 + n, category_id=cat)
    reader = app.test_client()
    reader.get(f"/articles/{last.slug}")  # the version's menu, which the lists read too
    for url in ["/?page=2", "/categories/thoi-su?page=2"]:
        assert _counts(app, lambda url=url: reader.get(url)) == 1, url
        assert _counts(app, lambda url=url: reader.get(url)) == 0, url  # kept
    assert len(app.extensions[COUNTS]) == 2
    for n in range(12, 24):
        make_article(f"Tin số {n}", when=-100 + n, category_id=cat)
    page = BeautifulSoup(reader.get("/categories/thoi-su?page=2").data, "html5lib")
    assert "/categories/thoi-su?page=3" in str(page)  # 24 articles: three pages, not two
