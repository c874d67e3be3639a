"""Absolute URLs come from NEWSPORTAL_PUBLIC_URL; in production a foreign Host gets 400 first.

A page, feed or sitemap is cached and shared, so whatever Host or X-Forwarded-Proto one reader
sends must not reach it: a request for `evil.example` used to be cached with `evil.example` in
every link, for every later reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from icalendar import Calendar

from newsportal import ROOT, create_app
from newsportal.config import UnsafeConfiguration
from newsportal.pagestore import LocalPages

from .conftest import serve_app
from .page_helpers import make_page, make_session, vn

pytestmark = pytest.mark.sqlite_only("absolute URLs come from configuration, not from the database")
ORIGIN = "http://127.0.0.1:5000"  # the development default
PUBLIC = "https://portal.example.gov.vn"
HOSTILE = {
    "host": {"Host": "evil.example"},
    "host-and-gopher": {"Host": "evil.example", "X-Forwarded-Proto": "gopher"},
    "host-and-https": {"Host": "evil.example:8443", "X-Forwarded-Proto": "https"},
    "forwarded-host": {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
}
# (path, whether the response holds absolute URLs of the site)
PAGES = {
    "home": ("/", False),
    "article": ("/articles/{article}", True),
    "print": ("/articles/{article}/print", True),
    "category": ("/categories/{category}", False),
    "page": ("/pages/{page}", False),
    "feed": ("/feed.xml", True),
    "category-feed": ("/categories/{category}/feed.xml", True),
    "sitemap": ("/sitemap.xml", True),
    "robots": ("/robots.txt", True),
    "icalendar": ("/pages/lich-tiep-cong-dan.ics", True),
}
FROM_THE_REQUEST = re.compile(
    r"_external|url_root|host_url|\brequest\.(host|url|base_url|root_url|scheme|origin)\b"
)


@pytest.fixture
def proxied(app_config, tmp_path, monkeypatch, template_bytecode) -> Iterator[Flask]:
    """Development behind one trusted proxy: X-Forwarded-Proto is believed, the worst case."""
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    yield from serve_app({**app_config, "PROXY_HOPS": 1}, template_bytecode)


@pytest.fixture
def site(proxied) -> dict[str, str]:
    from newsportal.articles import services
    from newsportal.articles.services import ArticleData
    from newsportal.text import utcnow

    with proxied.app_context():
        category = services.save_category(None, "Thời sự", "", 0)
        data = ArticleData(
            title="Tin an ninh",
            lead="Sapo.",
            body_md="Nội dung.",
            byline="Minh Hằng",
            category_id=category.id,
            published_at=utcnow(),
        )
        article = services.save_article(None, data, None, "publish")
        slugs = {"article": article.slug, "category": category.slug}
    root = make_page(proxied, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    make_page(
        proxied,
        "Lịch tiếp công dân",
        slug="lich-tiep-cong-dan",
        parent_id=root.id,
        block="reception_schedule",
    )
    make_session(proxied, vn(2099, 1, 20))
    return {**slugs, "page": root.slug}


def _body(response) -> str:
    return response.get_data(as_text=True).replace("\r\n ", "")  # unfold iCalendar lines


def _only_the_configured_origin(body: str, absolute: bool) -> None:
    for foreign in ("evil.example", "gopher", "localhost", "https://127.0.0.1"):
        assert foreign not in body
    if absolute:
        assert f"{ORIGIN}/" in body


@pytest.mark.parametrize("headers", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(("path", "absolute"), PAGES.values(), ids=PAGES.keys())
def test_a_hostile_host_or_scheme_reaches_neither_the_page_nor_the_next_reader(
    proxied, site, path, absolute, headers
):
    client = proxied.test_client()
    url = path.format(**site)
    hostile = client.get(url, headers=headers)
    assert hostile.status_code == 200
    _only_the_configured_origin(_body(hostile), absolute)
    after = client.get(url)  # cookie-less: answered from the page cache the first one filled
    assert after.status_code == 200
    _only_the_configured_origin(_body(after), absolute)


def test_the_calendar_uid_and_url_name_the_public_host(proxied, site):
    body = proxied.test_client().get("/pages/lich-tiep-cong-dan.ics", headers=HOSTILE["host"]).data
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["uid"]).endswith("@127.0.0.1")
    assert str(event["url"]) == f"{ORIGIN}/pages/lich-tiep-cong-dan"


def test_no_code_builds_a_url_from_the_request():
    """The grep that keeps it so: one helper, urls.absolute_url, builds every absolute URL."""
    found = []
    for folder, pattern in (("newsportal", "*.py"), ("templates", "*.html")):
        for path in sorted(Path(ROOT, folder).rglob(pattern)):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if FROM_THE_REQUEST.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("headers", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    ("path", "target"), [("/editor", "/editor/"), ("/moderation?x=1", "/moderation/?x=1")]
)
def test_a_routing_redirect_names_no_host(proxied, path, target, headers):
    """A 308 that a cache in front keys on the path alone must not send readers elsewhere."""
    response = proxied.test_client().get(path, headers=headers)
    assert response.status_code == 308
    assert response.headers["Location"] == target


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "evil.example"])
def test_development_answers_on_any_host(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


# Production


@pytest.fixture
def production(tmp_path, monkeypatch, template_bytecode) -> Iterator[Flask]:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("NEWSPORTAL_TRUSTED_HOSTS", '["portal.internal"]')  # parsed as JSON
    config = {
        "ENV": "production",
        "SECRET_KEY": "x" * 48,
        "PUBLIC_URL": PUBLIC + "/",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
    }
    yield from serve_app(config, template_bytecode)


@pytest.fixture
def cache_calls(monkeypatch) -> list[str]:
    """Names of the page-cache operations run, in order."""
    calls: list[str] = []

    def spy(name: str) -> Callable[..., Any]:
        real = getattr(LocalPages, name)

        def call(self: LocalPages, *args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(self, *args, **kwargs)

        return call

    for name in ("get", "set"):
        monkeypatch.setattr(LocalPages, name, spy(name))
    return calls


@pytest.mark.parametrize(
    "host", ["evil.example", "portal.example.gov.vn.evil.example", "localhost", "127.0.0.1", ""]
)
@pytest.mark.parametrize("path", ["/", "/feed.xml", "/sitemap.xml", "/robots.txt", "/login"])
def test_production_refuses_another_host_before_any_cache(production, cache_calls, host, path):
    client = production.test_client()
    assert client.get(path, base_url=PUBLIC).status_code == 200  # fills the cache for `path`
    cache_calls.clear()
    refused = client.get(path, base_url=PUBLIC, headers={"Host": host})
    assert refused.status_code == 400
    assert cache_calls == []
    assert "Yêu cầu không hợp lệ" in refused.get_data(as_text=True)
    assert refused.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in refused.headers  # still inside the security headers


@pytest.mark.parametrize(
    "host", ["portal.example.gov.vn", "portal.example.gov.vn:443", "portal.internal"]
)
def test_production_serves_the_public_host_and_trusted_hosts(production, cache_calls, host):
    client = production.test_client()
    response = client.get("/feed.xml", base_url=PUBLIC, headers={"Host": host})
    assert response.status_code == 200
    assert cache_calls  # the guard let it through to the page cache
    assert f"{PUBLIC}/feed.xml" in response.get_data(as_text=True)
    assert "portal.internal" not in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000", "localhost"])
def test_production_health_probe_answers_on_any_host(production, host):
    client = production.test_client()
    assert client.get("/healthz", headers={"Host": host}).status_code == 200
    assert client.get("/healthz-not-a-probe", headers={"Host": host}).status_code == 400


def _production(monkeypatch, tmp_path, **config) -> Flask:
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"ENV": "production", "SECRET_KEY": "x" * 48, **config})


@pytest.mark.parametrize("value", [None, "", "http://portal.example.gov.vn"])
def test_production_refuses_to_start_without_an_https_public_url(tmp_path, monkeypatch, value):
    monkeypatch.delenv("NEWSPORTAL_PUBLIC_URL", raising=False)
    config = {} if value is None else {"PUBLIC_URL": value}
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_PUBLIC_URL"):
        _production(monkeypatch, tmp_path, **config)


BAD_ORIGINS = [
    "portal.example.gov.vn",
    "ftp://portal.example.gov.vn",
    "https://",
    "https://:443",
    "https://portal.example.gov.vn/tin-tuc",
    "https://portal.example.gov.vn/?a=1",
    "https://portal.example.gov.vn#top",
    "https://admin:pw@portal.example.gov.vn",
    "https://portal.example.gov.vn:99999",
    "https://bad host.vn",
    42,
]


@pytest.mark.parametrize("value", BAD_ORIGINS)
def test_a_public_url_that_is_not_an_origin_is_refused(app_config, tmp_path, monkeypatch, value):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_PUBLIC_URL"):
        create_app({**app_config, "PUBLIC_URL": value})


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        (None, ORIGIN),
        ("HTTPS://Portal.Example.gov.vn:443/", PUBLIC),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://cổngthôngtin.vn", "https://xn--cngthngtin-vbb7982g.vn"),
        ("http://[::1]:5000", "http://[::1]:5000"),
    ],
)
def test_the_public_url_is_kept_as_a_plain_origin(app_config, tmp_path, monkeypatch, value, origin):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {**app_config} if value is None else {**app_config, "PUBLIC_URL": value}
    assert create_app(config).config["PUBLIC_URL"] == origin


@pytest.mark.parametrize("value", ['"portal.internal"', '["bad host"]', "[1]"])
def test_bad_trusted_hosts_are_refused(tmp_path, monkeypatch, value):
    monkeypatch.setenv("NEWSPORTAL_TRUSTED_HOSTS", value)
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_TRUSTED_HOSTS"):
        _production(monkeypatch, tmp_path, PUBLIC_URL=PUBLIC)
