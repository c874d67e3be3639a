"""Search: Vietnamese without accents, đ, phrases, ranking, visibility, and any input at all.

The matrix runs on SQLite and, when a server answers, on PostgreSQL (tests/databases.py).
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from newsportal.articles import services
from newsportal.extensions import db
from newsportal.models import Article, SearchDocument
from newsportal.search import queries
from newsportal.search import services as search_services
from newsportal.text import utcnow

SEED_TITLE = "Đồng Tháp: Phối hợp, tuyên truyền, giám sát thực hiện Nghị quyết 68/NQ-CP"


@pytest.fixture
def search_app(app):
    """The app fixture runs every test on SQLite and on PostgreSQL (conftest.py)."""
    return app


def _publish(app, title, lead="", body="", when=-60):
    with app.app_context():
        data = services.ArticleData(
            title=title,
            lead=lead,
            body_md=body,
            byline="Minh Hằng",
            published_at=None if when is None else utcnow() + timedelta(minutes=when),
        )
        action = "save" if when is None else "publish"
        return services.save_article(None, data, None, action).slug


def _titles(client, q, **extra):
    response = client.get("/search", query_string={"q": q, **extra})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    return [a.get_text() for a in soup.select(".search-result h2 a")]


@pytest.fixture
def corpus(search_app):
    _publish(search_app, SEED_TITLE, lead="Tỉnh Đồng Tháp triển khai Nghị quyết.", when=-300)
    _publish(
        search_app,
        "Giải quyết khiếu nại của công dân xã Mỹ Hiệp",
        lead="Ủy ban tiếp nhận đơn khiếu nại.",
        when=-200,
    )
    _publish(search_app, "Sửa chữa đường liên xã", body="Con **đường** mới rộng 6 mét.", when=-100)
    _publish(search_app, "Bản tin nông nghiệp", body="Giá lúa ở Đồng Tháp tăng nhẹ.", when=-50)
    return search_app


NFD_DONG_THAP = unicodedata.normalize("NFD", "Đồng Tháp")


@pytest.mark.parametrize(
    "query", ["dong thap", "Đồng Tháp", "ĐỒNG THÁP", "đồng tháp", NFD_DONG_THAP, "DONG  thap"]
)
def test_accents_case_and_d_all_find_the_seed_article(corpus, query):
    client = corpus.test_client()
    titles = _titles(client, query)
    assert SEED_TITLE in titles
    assert "Bản tin nông nghiệp" in titles  # body hit


def test_title_hits_rank_before_newer_body_hits(corpus):
    titles = _titles(corpus.test_client(), "dong thap")
    assert titles.index(SEED_TITLE) < titles.index("Bản tin nông nghiệp")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khieu nai", "Giải quyết khiếu nại của công dân xã Mỹ Hiệp"),
        ("duong", "Sửa chữa đường liên xã"),
        ("nghi quyet 68", SEED_TITLE),
        ("NQ-CP", SEED_TITLE),
    ],
)
def test_unaccented_words_find_articles(corpus, query, expected):
    assert expected in _titles(corpus.test_client(), query)


def test_every_word_must_match(corpus):
    assert _titles(corpus.test_client(), "dong thap khieu") == []
    assert _titles(corpus.test_client(), "khieu nai my hiep") == [
        "Giải quyết khiếu nại của công dân xã Mỹ Hiệp"
    ]


def test_quoted_phrase_needs_the_words_together(corpus):
    client = corpus.test_client()
    assert "Sửa chữa đường liên xã" in _titles(client, '"duong lien xa"')
    assert _titles(client, '"lien duong"') == []
    assert "Sửa chữa đường liên xã" in _titles(client, "lien duong")


def test_drafts_and_scheduled_articles_are_never_found(search_app):
    _publish(search_app, "Bản nháp về Tân Hồng", when=None)
    _publish(search_app, "Lịch hẹn về Tân Hồng", when=+120)
    _publish(search_app, "Đã đăng về Tân Hồng", when=-5)
    assert _titles(search_app.test_client(), "tan hong") == ["Đã đăng về Tân Hồng"]


def test_scheduled_article_appears_when_its_time_passes(search_app):
    _publish(search_app, "Tin hẹn giờ Lai Vung", when=+30)
    with search_app.app_context():
        assert queries.search(("lai vung",), 1, 10).items == []
        later = utcnow() + timedelta(minutes=31)
        found = queries.search(("lai vung",), 1, 10, now=later).items
        assert [d.title for d in found] == ["Tin hẹn giờ Lai Vung"]
        assert queries.search(("lai vung",), 1, 10, now=later - timedelta(minutes=2)).items == []


def test_unpublish_and_edit_update_the_index(search_app):
    slug = _publish(search_app, "Cầu Cao Lãnh thông xe")
    client = search_app.test_client()
    with search_app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.slug == slug))
        data = services.ArticleData(
            title="Cầu Mỹ Thuận hai thông xe", lead="", body_md="", byline=""
        )
        services.save_article(article, data, None)
    assert _titles(client, "cao lanh") == []
    assert _titles(client, "my thuan") == ["Cầu Mỹ Thuận hai thông xe"]
    with search_app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.slug == slug))
        services.unpublish(article, None)
    assert _titles(client, "my thuan") == []


def test_the_index_takes_other_kinds_of_content(search_app):
    """Information pages (issue 4) index themselves through the same two functions."""
    with search_app.app_context():
        search_services.index_document(
            "page",
            7,
            url="/pages/khieu-nai-to-cao",
            title="Giải quyết khiếu nại, tố cáo",
            text="Hướng dẫn gửi đơn khiếu nại tại Đồng Tháp.",
            visible_from=utcnow() - timedelta(minutes=1),
        )
        db.session.commit()
    assert _titles(search_app.test_client(), "khieu nai dong thap") == [
        "Giải quyết khiếu nại, tố cáo"
    ]
    with search_app.app_context():
        search_services.remove_document("page", 7)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(SearchDocument.id))) == 0


def test_results_show_highlighted_snippet_and_time(corpus):
    response = corpus.test_client().get("/search?q=dong+thap")
    soup = BeautifulSoup(response.data, "html.parser")
    first = soup.select_one(".search-result")
    assert [m.get_text() for m in first.select("h2 mark")] == ["Đồng", "Tháp"]
    assert first.select_one("time")["datetime"].endswith("+07:00")
    assert "Đồng" in [m.get_text() for m in first.select(".excerpt mark")]


def test_highlight_escapes_the_text_it_marks(search_app):
    _publish(search_app, "<script>alert(1)</script> Tháp Mười", lead="<b>đậm</b> tháp")
    response = search_app.test_client().get("/search?q=thap")
    assert b"<script>alert" not in response.data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; <mark>Th\xc3\xa1p</mark>" in response.data


def test_results_are_paginated(search_app):
    for i in range(12):
        _publish(search_app, f"Tin Sa Đéc số {i}", when=-100 + i)
    client = search_app.test_client()
    assert len(_titles(client, "sa dec")) == 10
    assert _titles(client, "sa dec", page=2) == ["Tin Sa Đéc số 1", "Tin Sa Đéc số 0"]
    assert _titles(client, "sa dec", page=99) == []


BAD_QUERIES = [
    "",
    "   ",
    "\t\n",
    "x" * 2000,
    "đồng " * 400,
    "' OR 1=1 --",
    "'; DROP TABLE articles; --",
    '"',
    '"dong',
    'dong"thap"',
    "*",
    "dong*",
    "NEAR(dong thap)",
    "dong NEAR thap",
    "-dong",
    "title_folded:dong",
    "dong:thap",
    "^dong",
    "(dong",
    "AND",
    "OR OR",
    "dong AND OR NOT",
    "%",
    "_",
    "\\",
    "\x00",
    "dong\x00thap",
    "\ufffd",
    "🙂 đồng",
    "{title_folded}: x",
    "& | ! <->",
    "dong <-> thap",
    "':*",
    "%FF",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_any_input_gives_a_normal_page(corpus, query):
    response = corpus.test_client().get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "text/html" in response.content_type


@pytest.mark.parametrize("raw", [b"q=%FF%FE", b"q=%ED%A0%80", b"q=dong&page=-1", b"page=abc&q=x"])
def test_undecodable_bytes_and_bad_pages_give_a_normal_page(corpus, raw):
    response = corpus.test_client().get("/search?" + raw.decode())
    assert response.status_code == 200


def test_nothing_found_message(corpus):
    response = corpus.test_client().get("/search?q=xyzzy", headers={"Accept-Language": "en"})
    assert "Không tìm thấy kết quả" in response.get_data(as_text=True)


def test_search_sends_a_constant_number_of_queries(search_app, count_queries):
    client = search_app.test_client()
    _publish(search_app, "Tin Hồng Ngự 0")
    few = count_queries(lambda: client.get("/search?q=hong+ngu"))
    for i in range(1, 8):
        _publish(search_app, f"Tin Hồng Ngự {i}")
    many = count_queries(lambda: client.get("/search?q=hong+ngu"))
    assert few == many <= 4  # menu, counts, keys, documents


def test_title_hits_come_first_across_pages_without_repeats(search_app):
    search_app.config["SEARCH_PER_PAGE"] = 2
    for i in range(3):
        _publish(search_app, f"Tin Thanh Bình {i}", when=-500 + i)  # older, title hits
    for i in range(4):
        _publish(search_app, f"Bản tin số {i}", body="Xã Thanh Bình có tin mới.", when=-100 + i)
    client = search_app.test_client()
    pages = [_titles(client, "thanh binh", page=n) for n in (1, 2, 3, 4, 5)]
    assert pages == [
        ["Tin Thanh Bình 2", "Tin Thanh Bình 1"],
        ["Tin Thanh Bình 0", "Bản tin số 3"],
        ["Bản tin số 2", "Bản tin số 1"],
        ["Bản tin số 0"],
        [],
    ]
    soup = BeautifulSoup(client.get("/search?q=thanh+binh").data, "html.parser")
    assert soup.select_one(".result-count").get_text() == "7 kết quả"


def test_many_results_are_counted_up_to_a_cap(search_app, monkeypatch):
    monkeypatch.setattr(queries, "RESULT_CAP", 3)
    for i in range(5):
        _publish(search_app, f"Tin Tam Nông {i}", when=-100 + i)
    response = search_app.test_client().get("/search?q=tam+nong")
    soup = BeautifulSoup(response.data, "html.parser")
    assert len(soup.select(".search-result")) == 5
    assert soup.select_one(".result-count").get_text() == "Từ 5 kết quả trở lên"


def test_a_document_is_not_found_a_moment_before_its_time(search_app):
    soon = (utcnow() + timedelta(seconds=2)).replace(microsecond=0)
    with search_app.app_context():
        search_services.index_document(
            "page", 1, url="/pages/x", title="Lịch tiếp dân", text="", visible_from=soon
        )
        db.session.commit()
        assert queries.search(("tiep", "dan"), 1, 10).items == []
        later = queries.search(("tiep", "dan"), 1, 10, now=soon).items
        assert [d.title for d in later] == ["Lịch tiếp dân"]
