"""A reader without JavaScript sends a comment from a cached page on the first try, and a page on
another site still cannot post one (comments/form_token.py)."""

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from newsportal.comments import form_token

from .comment_helpers import comments
from .conftest import serve_app

PUBLIC = "http://127.0.0.1:5000"  # the test app's PUBLIC_URL (the default)
SAME_SITE = {"Sec-Fetch-Site": "same-origin", "Origin": PUBLIC}


@pytest.fixture
def shared_app(
    app_config: dict[str, Any],
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    template_bytecode: Any,
) -> Iterator[Flask]:
    """CSRF on; no too-fast wait, so a test may post the moment it has read the page."""
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {**app_config, "WTF_CSRF_ENABLED": True, "COMMENT_MIN_SECONDS": 0}
    yield from serve_app(config, template_bytecode)


def _form(response: Any) -> dict[str, str]:
    """What a browser without JavaScript would send from this page's form, filled in."""
    form = BeautifulSoup(response.data, "html.parser").select_one("form.comment-form")
    sent = {
        i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("type") != "checkbox"
    }
    sent.update(
        name="Lê Văn Đức",
        email="duc@example.org",
        body="Gửi một lần, không cần JavaScript.",
        consent="y",
        website="",
    )
    return sent


def _shared(app: Flask, slug: str) -> Any:
    page = app.test_client().get(f"/articles/{slug}")
    assert page.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in page.headers
    return page


def test_public_url_is_what_the_tests_take_it_for(shared_app):
    assert shared_app.config["PUBLIC_URL"] == PUBLIC


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": PUBLIC},
        {"Origin": PUBLIC + "/"},
        SAME_SITE,
    ],
    ids=["fetch-site", "origin", "origin-slash", "both"],
)
def test_the_first_send_without_javascript_goes_through(shared_app, make_article, headers):
    article = make_article("Tin gửi một lần")
    data = _form(_shared(shared_app, article.slug))
    assert form_token.is_shared(data["csrf_token"])
    reader = shared_app.test_client()  # no cookie at all: a first visit
    sent = reader.post(f"/articles/{article.slug}/comments", data=data, headers=headers)
    assert sent.status_code == 302
    (comment,) = comments(shared_app)
    assert comment.status == "pending"
    assert comment.body == "Gửi một lần, không cần JavaScript."
    # and the reader sees their comment waiting, as after any send
    page = reader.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Gửi một lần, không cần JavaScript." in page


def test_every_reader_of_the_cached_page_gets_the_same_bytes(shared_app, make_article):
    article = make_article("Tin chung")
    first, second = _shared(shared_app, article.slug), _shared(shared_app, article.slug)
    assert first.data == second.data
    assert _form(first)["csrf_token"] == _form(second)["csrf_token"]


CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:5001"},
    {"Origin": "https://127.0.0.1:5000"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "none"},
    {"Sec-Fetch-Site": "cross-site", "Origin": PUBLIC},
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
]


@pytest.mark.parametrize(
    "headers", CROSS_SITE, ids=lambda h: ",".join(f"{k}={v}" for k, v in h.items())
)
@pytest.mark.sqlite_only("the origin checks run before any query")
def test_a_post_from_another_site_is_refused_with_the_text_kept(shared_app, make_article, headers):
    article = make_article("Tin bị giả mạo")
    data = _form(_shared(shared_app, article.slug))
    sent = shared_app.test_client().post(
        f"/articles/{article.slug}/comments", data=data, headers=headers
    )
    assert sent.status_code == 200
    assert comments(shared_app) == []
    page = BeautifulSoup(sent.data, "html.parser")
    assert page.select_one("#body").text.strip() == "Gửi một lần, không cần JavaScript."
    assert page.select_one("#comment-message") is not None


def _tampered(data: dict[str, str], other_slug_token: str) -> dict[str, dict[str, str]]:
    token = data["csrf_token"]
    return {
        "another-article": {**data, "csrf_token": other_slug_token},
        "forged": {**data, "csrf_token": form_token.PREFIX + "1|" + data["ts"] + ".AAAA"},
        "signed-with-another-key": {
            **data,
            "csrf_token": form_token.issue("another key entirely", 1, data["ts"]),
        },
        "other-timestamp": {**data, "ts": data["ts"].replace(data["ts"][:3], "100", 1)},
        "truncated": {**data, "csrf_token": token[:-4]},
        "empty": {**data, "csrf_token": ""},
        "missing": {k: v for k, v in data.items() if k != "csrf_token"},
    }


CASES = [
    "another-article",
    "forged",
    "signed-with-another-key",
    "other-timestamp",
    "truncated",
    "empty",
    "missing",
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.sqlite_only("the token check runs before any query")
def test_a_bad_token_is_refused_with_the_text_kept_and_no_word_of_a_session(
    shared_app, make_article, case
):
    article, other = make_article("Tin A"), make_article("Tin B")
    data = _form(_shared(shared_app, article.slug))
    other_token = _form(_shared(shared_app, other.slug))["csrf_token"]
    bad = _tampered(data, other_token)[case]
    reader = shared_app.test_client()
    sent = reader.post(f"/articles/{article.slug}/comments", data=bad, headers=SAME_SITE)
    assert sent.status_code == 200
    assert comments(shared_app) == []
    assert "Gửi một lần, không cần JavaScript." in sent.get_data(as_text=True)
    text = BeautifulSoup(sent.data, "html.parser").get_text()  # what the reader reads
    assert "phiên" not in text.lower()
    assert "session" not in text.lower()


def test_without_any_origin_header_the_form_comes_back_and_the_next_send_works(
    shared_app, make_article
):
    """An old client that says nowhere where the post comes from: refused once, never lost."""
    article = make_article("Tin trình duyệt cũ")
    data = _form(_shared(shared_app, article.slug))
    reader = shared_app.test_client()
    first = reader.post(f"/articles/{article.slug}/comments", data=data)
    assert first.status_code == 200
    assert comments(shared_app) == []
    message = BeautifulSoup(first.data, "html.parser").select_one("#comment-message").text
    assert "phiên" not in message.lower()
    again = _form(first)
    assert not form_token.is_shared(again["csrf_token"])  # a session token this time
    second = reader.post(f"/articles/{article.slug}/comments", data=again)
    assert second.status_code == 302
    assert len(comments(shared_app)) == 1


def test_the_shared_token_still_passes_every_other_check(shared_app, make_article):
    """A valid token is only the CSRF check: the honeypot still stops a bot."""
    article = make_article("Tin bẫy")
    data = {**_form(_shared(shared_app, article.slug)), "website": "http://spam.example"}
    sent = shared_app.test_client().post(
        f"/articles/{article.slug}/comments", data=data, headers=SAME_SITE
    )
    assert sent.status_code == 302  # answered like a comment received: a bot learns nothing
    assert comments(shared_app) == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "HTTPS://PORTAL.EXAMPLE"}, True),
        ({"Origin": "https://portal.example:8443"}, False),
        ({"Origin": "http://portal.example"}, False),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "https://portal.example"}, True),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://portal.example"}, False),
    ],
)
def test_same_origin_is_judged_against_the_configured_origin(headers, expected):
    assert form_token.same_origin(headers, "https://portal.example") is expected


def test_a_token_is_bound_to_its_article_and_timestamp():
    token = form_token.issue(["old key", "new key"], 7, "123.sig")
    assert form_token.valid("new key", token, 7, "123.sig")
    assert form_token.valid(["old key", "new key"], token, 7, "123.sig")
    assert not form_token.valid("new key", token, 8, "123.sig")
    assert not form_token.valid("new key", token, 7, "124.sig")
    assert not form_token.valid("old key", token, 7, "123.sig")  # the last key signs
    assert not form_token.valid("new key", None, 7, "123.sig")
