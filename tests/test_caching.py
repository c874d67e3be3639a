"""The page cache, HTTP validators and query counts of reader pages."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

import newsportal.content_version
import newsportal.models.articles
from newsportal.comments import moderation
from newsportal.extensions import db
from newsportal.models import Comment, ContentState

from .comment_helpers import comment_data, comments, submitted
from .page_helpers import make_page

READER_PAGES = ["/", "/articles/{slug}", "/categories/thoi-su", "/pages/noi-quy-binh-luan"]


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    article = make_article("Tin có bình luận", category_id=cat)
    make_page(app, "Nội quy bình luận")
    return {"slug": article.slug, "id": article.id, "category": cat}


def version(app):
    with app.app_context():
        return db.session.get(ContentState, 1).version


@pytest.mark.parametrize("url", READER_PAGES)
def test_anonymous_reader_pages_are_public_with_validators_and_304(client, site, url):
    url = url.format(**site)
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60, s-maxage=10"
    assert "Cookie" in first.headers["Vary"]
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "Set-Cookie" not in first.headers
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_max_age_is_configurable(app, client, site):
    app.config["HTTP_CACHE_MAX_AGE"] = 300
    assert client.get("/").headers["Cache-Control"] == "public, max-age=300, s-maxage=10"


@pytest.mark.parametrize("url", READER_PAGES)
@pytest.mark.parametrize("role", ["editor", "moderator", "admin"])
@pytest.mark.sqlite_only("response headers, decided in Python whatever the database")
def test_signed_in_staff_get_private_pages(auth, client, site, url, role):
    auth.as_role(role)
    client.get("/")  # the welcome message is read here
    response = client.get(url.format(**site))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_reader_with_a_pending_comment_or_a_message_gets_a_private_page(app, client, site):
    response = client.post(f"/articles/{site['slug']}/comments", data=comment_data(app))
    assert response.status_code == 302
    page = client.get(f"/articles/{site['slug']}")  # shows the message and their own comment
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "đang chờ duyệt." in page.get_data(as_text=True)
    stranger = app.test_client().get(f"/articles/{site['slug']}")
    assert stranger.headers["Cache-Control"] == "public, max-age=60, s-maxage=10"
    assert "Xin hỏi khi nào có kết quả hỗ trợ?" not in stranger.get_data(as_text=True)


def test_a_shared_page_holds_no_readers_token_and_a_fetched_one_submits(csrf_app, make_article):
    article = make_article("Tin chia sẻ")
    shared_tokens = set()
    for n, reader in enumerate((csrf_app.test_client(), csrf_app.test_client())):
        shared = reader.get(f"/articles/{article.slug}")
        assert shared.headers["Cache-Control"] == "public, max-age=60, s-maxage=10"
        assert "Set-Cookie" not in shared.headers  # no session, no token made for this reader
        page = BeautifulSoup(shared.data, "html.parser")
        form = page.select_one("form.comment-form")
        # the form's shared token (comments/form_token.py), the same for both readers
        shared_tokens.add(form.find("input", {"name": "csrf_token"})["value"])
        assert form["data-token-url"] == "/comments/token"
        assert (
            page.find("script", src=re.compile(r"^/static/js/comment-token\.js\?v=[0-9a-f]{12}$"))
            is not None
        )
        token = reader.get("/comments/token")
        assert token.headers["Cache-Control"] == "private, no-store"
        typed = comment_data(csrf_app, email=f"reader{n}@example.org")
        data = {**typed, "csrf_token": token.json["csrf_token"]}
        sent = reader.post(f"/articles/{article.slug}/comments", data=data)
        assert sent.status_code == 302
    assert len(comments(csrf_app)) == 2
    (shared_token,) = shared_tokens
    assert shared_token.startswith("shared.")


def test_a_client_sending_no_token_and_no_origin_sends_on_the_second_try(csrf_app, make_article):
    article = make_article("Tin không có JS")
    reader = csrf_app.test_client()
    reader.get(f"/articles/{article.slug}")
    typed = {
        **comment_data(csrf_app, body="Nội dung gõ tay không có JavaScript."),
        "csrf_token": "",
    }
    first = reader.post(f"/articles/{article.slug}/comments", data=typed)
    assert first.status_code == 200
    page = BeautifulSoup(first.data, "html.parser")
    assert page.select_one("#body").text.strip() == "Nội dung gõ tay không có JavaScript."
    token = page.find("input", {"name": "csrf_token"})["value"]
    assert token
    second = reader.post(f"/articles/{article.slug}/comments", data={**typed, "csrf_token": token})
    assert second.status_code == 302
    assert len(comments(csrf_app)) == 1


def test_cache_serves_repeat_views_with_one_query_at_most(
    client, site, count_queries, version_reads
):
    url = f"/articles/{site['slug']}"
    client.get(url)
    assert count_queries(lambda: client.get(url)) == version_reads


def test_publishing_drops_the_cached_pages_at_once(app, client, site, make_article):
    assert "Tin mới đăng" not in client.get("/").get_data(as_text=True)
    before = version(app)
    make_article("Tin mới đăng")
    assert version(app) > before
    assert "Tin mới đăng" in client.get("/").get_data(as_text=True)


def test_unpublishing_drops_cached_pages(app, auth, site):
    url = f"/articles/{site['slug']}"
    reader = app.test_client()
    assert reader.get(url).status_code == 200
    assert "Tin có bình luận" in reader.get("/").get_data(as_text=True)
    auth.as_role("editor")
    auth.client.post(f"/editor/articles/{site['id']}/unpublish")
    assert reader.get(url).status_code == 404
    assert "Tin có bình luận" not in reader.get("/").get_data(as_text=True)


def test_approving_a_comment_shows_it_at_once(app, client, site, make_user):
    url = f"/articles/{site['slug']}"
    app.test_client().post(f"{url}/comments", data=comment_data(app, body="Ý kiến chờ duyệt."))
    etag = client.get(url).headers["ETag"]
    (comment,) = comments(app)
    moderator = app.test_client()
    make_user("moderator")
    moderator.post(
        "/login", data={"email": "moderator@example.org", "password": "mật-khẩu-thử-nghiệm-đủ-dài"}
    )
    moderator.post("/moderation/bulk", data={"ids": [comment.id], "action": "approve"})
    page = client.get(url, headers={"If-None-Match": etag})
    assert page.status_code == 200
    assert "Ý kiến chờ duyệt." in page.get_data(as_text=True)


def test_a_new_pending_comment_does_not_drop_the_cache(app, site):
    before = version(app)
    app.test_client().post(f"/articles/{site['slug']}/comments", data=comment_data(app))
    assert version(app) == before


def test_a_scheduled_article_appears_when_due_even_from_the_cache(
    app, client, make_article, monkeypatch
):
    make_article("Bài hẹn giờ", when=30)
    assert "Bài hẹn giờ" not in client.get("/").get_data(as_text=True)
    later = newsportal.content_version.utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(newsportal.models.articles, "utcnow", lambda: later)
    monkeypatch.setattr(newsportal.content_version, "utcnow", lambda: later)
    assert "Bài hẹn giờ" in client.get("/").get_data(as_text=True)


def test_information_page_edits_show_at_once(app, auth, client):
    page = make_page(app, "Liên hệ", body_md="Điện thoại cũ.")
    assert "Điện thoại cũ." in client.get("/pages/lien-he").get_data(as_text=True)
    auth.as_role("editor")
    form = {
        "title": "Liên hệ",
        "slug": "",
        "lead": "",
        "body": "Điện thoại mới.",
        "position": "0",
        "parent_id": "None",
        "block": "",
        "reviewed_on": "",
        "action": "save",
    }
    auth.client.post(f"/editor/pages/{page.id}", data=form)
    assert "Điện thoại mới." in app.test_client().get("/pages/lien-he").get_data(as_text=True)


def test_languages_are_cached_apart(client, site):
    assert "Trang chủ" in client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en")
    assert english.headers["Cache-Control"] == "private, no-store"  # it sets the choice
    assert "Home" in client.get("/").get_data(as_text=True)
    assert "Trang chủ" in client.get("/?lang=vi").get_data(as_text=True)


def test_with_the_cache_off_pages_still_carry_validators(app, client, site, count_queries):
    app.config["PAGE_CACHE_ENABLED"] = False
    first = client.get("/")
    assert first.headers["ETag"]
    assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert count_queries(lambda: client.get("/")) > 1  # rendered every time


# --- query counts: constant whatever the data, at most 4 -----------------------------------


def _fill(app, make_article, cat, articles, comments_each):
    """Articles with comments sent through the comment service (the pages' queries are what
    is counted; the form's path has tests of its own)."""
    for n in range(articles):
        article = make_article(f"Bài số {n}", category_id=cat)
        for m in range(comments_each):
            submitted(
                app,
                article.id,
                f"Ý kiến {n}-{m} hay.",
                name=f"Bạn đọc {n}-{m}",
                email=f"r{n}-{m}@example.org",
                ip=f"192.0.2.{m + 1}",
            )
    return article


@pytest.mark.parametrize("url", ["/", "/articles/{slug}", "/categories/thoi-su"])
def test_reader_pages_run_a_fixed_number_of_queries_whatever_the_data(
    app, client, make_article, make_category, count_queries, url
):
    app.config["PAGE_CACHE_ENABLED"] = False  # count a full render, not a cache hit
    cat = make_category("Thời sự")
    small = _fill(app, make_article, cat, 1, 1)
    few = count_queries(lambda: client.get(url.format(slug=small.slug)))
    big = _fill(app, make_article, cat, 12, 4)
    with app.app_context():
        moderation.set_status([c.id for c in comments(app)], "approve", None)
        moderation.reply(db.session.get(Comment, comments(app)[-1].id), None, "Đã rõ.")
    many = count_queries(lambda: client.get(url.format(slug=big.slug)))
    assert few == many
    # four for the page itself, one for its lists' comment counts, the sidebar's five or six,
    # and the menu: read once after each change (here the comments just made one)
    assert many <= 12


def test_a_cookieless_hit_is_answered_before_flask_runs(app, site, monkeypatch):
    reader = app.test_client(use_cookies=False)
    first = reader.get("/")
    assert first.status_code == 200

    def flask_ran(*args, **kwargs):
        raise AssertionError("the request reached Flask")

    monkeypatch.setattr(app, "full_dispatch_request", flask_ran)
    hit = reader.get("/")
    assert hit.data == first.data
    assert hit.headers["ETag"] == first.headers["ETag"]
    assert hit.headers["Cache-Control"] == "public, max-age=60, s-maxage=10"
    assert hit.headers["Content-Type"] == "text/html; charset=utf-8"
    not_modified = reader.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.data == b""


def test_a_reader_with_a_cookie_goes_through_flask(app, client, site, monkeypatch):
    client.get("/?lang=en")  # now has a session cookie
    assert "Home" in client.get("/").get_data(as_text=True)
    assert "Trang chủ" in app.test_client(use_cookies=False).get("/").get_data(as_text=True)


@pytest.mark.parametrize("url", [*READER_PAGES, "/search?q=tin", "/feed.xml"])
@pytest.mark.sqlite_only("response headers, decided in Python whatever the database")
def test_with_csrf_on_shared_pages_set_no_cookie(csrf_app, make_article, make_category, url):
    make_category("Thời sự")
    article = make_article("Tin có bình luận")
    make_page(csrf_app, "Nội quy bình luận")
    response = csrf_app.test_client().get(url.format(slug=article.slug))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
