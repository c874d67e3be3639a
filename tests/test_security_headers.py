"""Security headers on every kind of response, and pages that need no inline script or style."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from newsportal import create_app
from newsportal.extensions import db
from newsportal.security import SecurityHeaders

pytestmark = pytest.mark.sqlite_only("headers do not depend on the database")

EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def site(make_article, make_category):
    cat = make_category("Thời sự")
    return make_article("Tin an ninh", category_id=cat).slug


def check_headers(response):
    for name, value in EVERYWHERE.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # only in production


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/articles/{slug}", 200),
        ("/categories/thoi-su", 200),
        ("/login", 200),
        ("/search?q=an+ninh", 200),
        ("/feed.xml", 200),
        ("/static/css/site.css", 200),
        ("/no-such-page", 404),
        ("/editor/", 302),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, site, url, status):
    with client.get(url.format(slug=site)) as response:  # closes a static file's handle
        assert response.status_code == status
        check_headers(response)


def test_a_page_answered_by_the_cache_before_flask_runs_carries_them_too(client, site):
    client.get("/")  # fills the page cache
    client.get("/")
    cached = client.get("/")
    assert "ETag" in cached.headers
    check_headers(cached)


def test_a_header_a_view_sets_itself_is_kept():
    def upload(environ, start_response):
        start_response("200 OK", [("Content-Security-Policy", "default-src 'none'; sandbox")])
        return [b""]

    seen = {}
    app = SecurityHeaders(upload, [("Content-Security-Policy", "strict"), ("X-A", "1")])
    app({}, lambda status, headers, *exc: seen.update(headers))
    assert seen == {"Content-Security-Policy": "default-src 'none'; sandbox", "X-A": "1"}


def test_production_adds_hsts_and_upgrades_requests(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 48,
            "PUBLIC_URL": "https://localhost",  # the test client's host
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
        }
    )
    with app.test_client().get("/static/css/site.css") as response:
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains"
        )
        assert "upgrade-insecure-requests" in response.headers["Content-Security-Policy"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        db.create_all()
    client = app.test_client()
    cookie = client.get("/?lang=en", base_url="https://localhost").headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert flag in cookie
    assert "Domain" not in cookie


@pytest.mark.parametrize("role", [None, "editor", "moderator", "admin"])
@pytest.mark.parametrize(
    "url", ["/", "/articles/{slug}", "/login", "/editor/", "/editor/new", "/moderation/"]
)
def test_pages_need_no_inline_script_or_style(auth, client, site, role, url):
    """What the CSP forbids must not be on the pages, or browsers would drop it silently."""
    auth.as_role(role)
    response = client.get(url.format(slug=site), follow_redirects=True)
    page = BeautifulSoup(response.data, "html.parser")
    for script in page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script
    assert not page.find_all("style")
    for tag in page.find_all(True):
        assert "style" not in tag.attrs, tag
        assert not [a for a in tag.attrs if a.startswith("on")], tag


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_the_reader_address_comes_from_a_trusted_proxy_only(app, hops, seen, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path))
    proxied = create_app({**app.config, "PROXY_HOPS": hops})

    @proxied.get("/_addr")
    def addr():
        from flask import request

        return request.remote_addr or ""

    response = proxied.test_client().get(
        "/_addr",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.get_data(as_text=True) == seen
