"""Page cache keys hold only the query parameters a view reads; nothing else adds an entry."""

import pytest

from newsportal.pagestore import EXTENSION

from .page_helpers import make_page

pytestmark = pytest.mark.sqlite_only("which URLs share a cache key does not depend on the database")

CLEAN = [
    "/",
    "/articles/{slug}",
    "/categories/thoi-su",
    "/feed.xml",
    "/pages/noi-quy-binh-luan",
    "/pages/cong-khai-ket-qua",
]
JUNK = [
    "utm_source=facebook&utm_medium=social",
    "fbclid=IwAR{n}",
    "x={n}",
    "page=abc{n}",
    "page=1&fbclid={n}",
    "lang=xx{n}",
    "kind=junk{n}",
    "page=&q={n}",
    "{n}",
]


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    article = make_article("Tin chia sẻ trên mạng xã hội", category_id=cat)
    make_page(app, "Nội quy bình luận")
    make_page(app, "Công khai kết quả", slug="cong-khai-ket-qua", block="published_results")
    return {"slug": article.slug, "category": cat}


def entries(app) -> int:
    return len(app.extensions[EXTENSION])  # LocalPages: one item per page


def readers(app):
    """A first visit (answered before Flask when cached) and a reader with a cookie."""
    with_cookie = app.test_client()
    with_cookie.set_cookie("seen", "1")
    return app.test_client(use_cookies=False), with_cookie


@pytest.mark.parametrize("url", CLEAN)
def test_query_parameters_a_view_does_not_read_make_no_entry(app, site, url):
    url = url.format(**site)
    clean = app.test_client().get(url)
    assert clean.status_code == 200
    before = entries(app)
    for n in range(10):
        for junk in JUNK:
            for reader in readers(app):
                response = reader.get(f"{url}?{junk.format(n=n)}")
                assert response.status_code == 200
                assert response.data == clean.data
    assert entries(app) == before


def test_the_page_rendered_for_a_shared_link_is_the_clean_page(app, site):
    """Rendered cold for `?fbclid=`, the stored page links nowhere with the reader's junk in it."""
    shared = app.test_client(use_cookies=False).get("/?fbclid=IwAR0secret&utm_source=zalo")
    assert shared.status_code == 200
    assert b"IwAR0secret" not in shared.data
    assert b"zalo" not in shared.data
    assert app.test_client(use_cookies=False).get("/").data == shared.data
    assert entries(app) == 1


@pytest.mark.parametrize("spelling", ["?page=1", "?page=01", "?page=abc", "?page=1&page=2"])
def test_the_first_page_has_one_entry_however_it_is_spelt(app, site, spelling):
    app.test_client().get("/")
    before = entries(app)
    assert app.test_client().get(f"/{spelling}").status_code == 200
    assert entries(app) == before


def test_the_order_of_parameters_does_not_matter(app, site, make_article):
    app.config["ARTICLES_PER_PAGE"] = 1
    make_article("Bài thứ hai")
    pages = [app.test_client().get(url) for url in ("/?page=2&a=1", "/?a=1&page=2", "/?page=02")]
    assert {page.status_code for page in pages} == {200}
    assert len({page.data for page in pages}) == 1
    assert entries(app) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/?page=2",
        "/?page=0",
        "/?page=99999",
        "/?page=100001",
        "/categories/thoi-su?page=7",
        "/pages/noi-quy-binh-luan?page=2",
        "/pages/cong-khai-ket-qua?page=9",
        "/pages/cong-khai-ket-qua?kind=decision&page=3",
    ],
)
def test_a_page_past_the_end_is_not_found_and_makes_no_entry(app, site, url):
    for reader in readers(app):
        assert reader.get(url).status_code == 404
    assert entries(app) == 0


def test_a_shared_link_is_answered_from_the_clean_entry_before_flask(app, site, monkeypatch):
    url = f"/articles/{site['slug']}"
    reader = app.test_client(use_cookies=False)
    clean = reader.get(url)

    def flask_ran(*args, **kwargs):
        raise AssertionError("the request reached Flask")

    monkeypatch.setattr(app, "full_dispatch_request", flask_ran)
    for query in ("fbclid=IwAR1", "utm_source=facebook&utm_campaign=tin-nong", "page=1"):
        shared = reader.get(f"{url}?{query}")
        assert shared.status_code == 200
        assert shared.data == clean.data
        assert shared.headers["ETag"] == clean.headers["ETag"]


def test_a_language_choice_still_reaches_flask(app, site):
    reader = app.test_client()
    reader.get("/")
    assert "Home" in reader.get("/?utm_source=x&lang=en").get_data(as_text=True)
    assert "Home" in reader.get("/").get_data(as_text=True)
