"""What a proxy in front may keep: public answers carry s-maxage=PROXY_MAX_AGE, no others."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.test import Client

from newsportal.shared_caches import SharedMaxAge, with_shared_max_age
from newsportal.static_urls import IMMUTABLE

pytestmark = pytest.mark.sqlite_only("headers do not depend on the database")


@pytest.fixture
def slug(make_article):
    return make_article("Tin dùng chung").slug


@pytest.mark.parametrize("url", ["/", "/articles/{slug}", "/feed.xml", "/sitemap.xml"])
def test_public_answers_carry_the_proxy_bound_and_a_validator(client, slug, url):
    response = client.get(url.format(slug=slug))
    assert response.status_code == 200
    assert "s-maxage=10" in response.headers["Cache-Control"].split(", ")
    assert response.headers["ETag"] or response.headers["Last-Modified"]


def test_the_bound_is_configurable_and_holds_for_pages_the_fast_path_answers(app, slug):
    app.config["PROXY_MAX_AGE"] = 3
    client = app.test_client()
    first = client.get(f"/articles/{slug}")  # rendered and stored
    again = app.test_client().get(f"/articles/{slug}")  # no cookie: answered before Flask runs
    assert first.data == again.data
    for response in (first, again):
        assert response.headers["Cache-Control"] == "public, max-age=60, s-maxage=3"
    revalidated = app.test_client().get(
        f"/articles/{slug}", headers={"If-None-Match": again.headers["ETag"]}
    )
    assert revalidated.status_code == 304
    assert revalidated.headers["Cache-Control"] == "public, max-age=60, s-maxage=3"


def test_private_and_immutable_answers_get_no_shared_max_age(app, client, auth, slug):
    with app.test_request_context():
        static = app.url_for("static", filename="css/site.css")
    response = client.get(static)
    response.close()
    assert response.headers["Cache-Control"] == IMMUTABLE
    auth.login("editor")
    assert client.get(f"/articles/{slug}").headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("public, max-age=60", "public, max-age=60, s-maxage=7"),
        ("PUBLIC,max-age=300", "PUBLIC,max-age=300, s-maxage=7"),
        ("public, max-age=60, s-maxage=1", "public, max-age=60, s-maxage=1"),
        (IMMUTABLE, IMMUTABLE),
        ("private, no-store", "private, no-store"),
        ("no-cache", "no-cache"),
    ],
)
def test_only_shareable_answers_without_a_bound_of_their_own_get_one(given, expected):
    assert with_shared_max_age(given, 7) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("Set-Cookie", "session=x; HttpOnly")], "private, no-store"),
        ([("set-cookie", "a=b"), ("Set-Cookie", "c=d")], "private, no-store"),
        ([], "public, max-age=60, s-maxage=10"),
    ],
)
def test_a_public_answer_that_sets_a_cookie_goes_out_private(headers, expected):
    """Whatever wrote the session after the page cache decided: no proxy keeps that cookie."""
    inner = Flask(__name__)
    inner.config["PROXY_MAX_AGE"] = 10

    def answer(environ, start_response):
        start_response("200 OK", [("Cache-Control", "public, max-age=60"), *headers])
        return [b"page"]

    inner.wsgi_app = answer
    response = Client(SharedMaxAge(inner)).get("/")
    assert response.headers["Cache-Control"] == expected
    assert len(response.headers.getlist("Set-Cookie")) == len(headers)
