"""Pieces of pages rendered once in each app server, not on every page: the sidebar (per content
version, language and day: what it shows never lags a change, articles/sidebar.py) and an empty
comment form's fields (per language, comments/forms.py)."""

from __future__ import annotations

import pytest

from newsportal.articles import sidebar
from newsportal.comments import moderation

from .comment_helpers import submitted
from .page_helpers import soup

SIDEBAR_QUERIES = 6  # latest, most read, sessions, its pages, results, documents


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    return {
        "a": make_article("Tin thứ nhất", category_id=cat, when=-30),
        "b": make_article("Tin thứ hai", category_id=cat, when=-20),
    }


def _latest(response) -> list[str]:
    return [a.get_text() for a in soup(response).select("#side-latest ~ ul a")]


def _renders(monkeypatch) -> list[bool]:
    calls: list[bool] = []
    real = sidebar.sidebar_context

    def counted(with_latest: bool = True) -> dict[str, object]:
        calls.append(with_latest)
        return real(with_latest)

    monkeypatch.setattr(sidebar, "sidebar_context", counted)
    return calls


def test_pages_of_one_version_share_one_sidebar(app, site, monkeypatch):
    calls = _renders(monkeypatch)
    reader = app.test_client()
    for article in site.values():
        assert _latest(reader.get(f"/articles/{article.slug}")) == ["Tin thứ hai", "Tin thứ nhất"]
    reader.get("/categories/thoi-su")
    reader.get("/")
    assert calls == [True, False]  # once with the latest news, once without (the home page)


def test_a_new_article_is_in_the_next_pages_sidebar(app, site, make_article):
    reader = app.test_client()
    reader.get(f"/articles/{site['a'].slug}")
    make_article("Tin vừa đăng", when=-1)
    assert _latest(reader.get(f"/articles/{site['b'].slug}"))[0] == "Tin vừa đăng"


def test_an_approved_comment_keeps_the_sidebar(app, site, monkeypatch):
    calls = _renders(monkeypatch)
    reader = app.test_client()
    reader.get(f"/articles/{site['a'].slug}")
    with app.app_context():
        moderation.set_status([submitted(app, site["a"].id, "Cảm ơn bài viết.")], "approve", None)
    page = reader.get(f"/articles/{site['a'].slug}").get_data(as_text=True)
    assert "Cảm ơn bài viết." in page  # the page again, its sidebar as it was
    assert calls == [True]


def test_the_most_read_is_at_most_sidebar_seconds_old(app, site, monkeypatch):
    calls = _renders(monkeypatch)
    now = [1000.0]
    monkeypatch.setattr(sidebar.time, "monotonic", lambda: now[0])
    app.config["PAGE_CACHE_ENABLED"] = False  # the pages themselves rendered each time
    reader = app.test_client()
    reader.get(f"/articles/{site['a'].slug}")
    now[0] += app.config["SIDEBAR_SECONDS"] - 1
    reader.get(f"/articles/{site['b'].slug}")
    assert calls == [True]
    now[0] += 2
    reader.get(f"/articles/{site['b'].slug}")
    assert calls == [True, True]


def test_each_language_has_its_own_sidebar(app, site):
    app.test_client().get(f"/articles/{site['a'].slug}")
    english = app.test_client()
    english.get("/?lang=en")
    page = soup(english.get(f"/articles/{site['b'].slug}"))
    assert page.select_one("#side-latest").get_text() == "Latest news"


def test_staff_get_it_rendered_on_every_page(app, client, site, auth, count_queries):
    app.test_client().get(f"/articles/{site['a'].slug}")  # kept for shared pages
    auth.as_role("editor")
    url = f"/articles/{site['b'].slug}"
    first, second = (count_queries(lambda: client.get(url)) for _ in range(2))
    assert first == second >= SIDEBAR_QUERIES  # read on every private page


def test_the_kept_sidebars_are_bounded(app, site, make_article):
    reader = app.test_client()
    for n in range(3 * sidebar.KEPT_MOST):
        make_article(f"Tin số {n}", when=-5)  # each a new version
        reader.get(f"/articles/{site['a'].slug}")
        assert len(app.extensions[sidebar.KEPT]) <= sidebar.KEPT_MOST


def _form_fields(response) -> str:
    form = soup(response).select_one("form.comment-form")
    for hidden in form.select("input[type=hidden]"):
        hidden.decompose()  # the shared token and the time: each page's own
    return str(form)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_kept_comment_fields_are_those_the_form_renders(app, site, lang):
    url = f"/articles/{site['a'].slug}?lang={lang}"
    app.config["PAGE_CACHE_ENABLED"] = False
    kept = [_form_fields(app.test_client().get(url)) for _ in range(2)]
    app.config["FRAGMENT_CACHE_ENABLED"] = False
    rendered = _form_fields(app.test_client().get(url))
    assert kept == [rendered, rendered]
    assert ("Full name" in rendered) == (lang == "en")


def test_an_empty_forms_fields_are_rendered_once_per_language(app, site, monkeypatch):
    from newsportal.comments import forms

    calls: list[str] = []
    real = forms.fragment
    monkeypatch.setattr(
        forms, "fragment", lambda name, **kw: calls.append(name) or real(name, **kw)
    )
    app.config["PAGE_CACHE_ENABLED"] = False
    for url in [f"/articles/{a.slug}" for a in site.values()] * 2:
        app.test_client().get(url)
    app.test_client().get(f"/articles/{site['a'].slug}?lang=en")
    assert calls == ["comments/_form_fields.html"] * 2


def test_a_page_reusing_the_sidebar_answers_for_what_it_read(app, site, monkeypatch):
    """Were the sidebar ever to show comment counts, every page showing the kept sidebar would
    have read them, not only the one that rendered it: none of them may be stored."""
    from newsportal.articles import queries

    real = sidebar.sidebar_context

    def counting(with_latest: bool = True) -> dict[str, object]:
        queries.comment_counts([])  # reads the lists' scope
        return real(with_latest)

    monkeypatch.setattr(sidebar, "sidebar_context", counting)
    reader = app.test_client()
    for article in [site["a"], site["b"], site["b"]]:
        response = reader.get(f"/articles/{article.slug}")
        assert response.headers["Cache-Control"].startswith("private, no-store"), article.slug
