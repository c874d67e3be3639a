"""A reader with a language choice gets shared pages, and no public answer sets a cookie."""

from __future__ import annotations

import pytest

from newsportal import pagecache

from .page_helpers import make_page

PAGES = ["/", "/articles/{slug}", "/categories/thoi-su", "/pages/noi-quy-binh-luan", "/feed.xml"]


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    make_page(app, "Nội quy bình luận")
    return {"slug": make_article("Tin chia sẻ", category_id=cat).slug}


@pytest.fixture
def looked_up(monkeypatch):
    """The page cache's look-ups, True for a hit."""
    seen: list[bool] = []
    monkeypatch.setattr(pagecache.metrics, "page_cache", lambda hit: seen.append(hit))
    return seen


def _session(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def test_an_english_readers_second_view_is_a_shared_hit(app, client, site, looked_up):
    url = f"/articles/{site['slug']}"
    assert client.get("/?lang=en").headers["Set-Cookie"]  # the choice: their own answer
    first, second = client.get(url), client.get(url)
    assert looked_up[-2:] == [False, True]  # the first was stored
    for response in (first, second):
        assert response.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response.headers
    assert "Home" in second.get_data(as_text=True)
    assert _session(client) == {"lang": "en"}
    other = app.test_client()
    other.get("/?lang=en")
    hit = other.get(url)  # the page the first reader stored
    assert looked_up[-1] is True
    assert "Set-Cookie" not in hit.headers
    assert hit.data == second.data


def test_choosing_the_language_already_chosen_writes_nothing(client, site, looked_up):
    client.get("/?lang=en")
    client.get("/")
    again = client.get("/?lang=en")
    assert looked_up[-1] is True
    assert again.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in again.headers
    vietnamese = client.get("/?lang=vi")  # a change: the cached page, but with their cookie
    assert vietnamese.headers["Cache-Control"] == "private, no-store"
    assert vietnamese.headers["Set-Cookie"]
    assert "Trang chủ" in vietnamese.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("reader", ["no cookie", "english"])
def test_a_public_answer_never_sets_a_cookie(app, site, url, reader):
    client = app.test_client(use_cookies=reader == "english")
    if reader == "english":
        client.get("/?lang=en")
    answers = [client.get(url.format(**site)) for _ in range(3)]  # rendered, then from the cache
    for response in answers:
        assert response.status_code == 200
        assert response.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response.headers


def test_session_protection_still_watches_a_signed_in_session(client, auth):
    """Basic mode: the same session from another browser is no longer a fresh sign-in."""
    auth.login("editor")
    client.get("/editor/")
    assert _session(client)["_fresh"] is True
    client.get("/editor/", headers={"User-Agent": "Another browser"})
    assert _session(client)["_fresh"] is False
