"""The header: logo and name, today's date in Vietnam, the hotline; and a cached page never
shows yesterday's date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

import newsportal.text

# 16:30 UTC is 23:30 in Vietnam; an hour later it is already the next day there. Years ahead of
# the real clock: the content the tests make is stamped with the real time, which must come
# before the pretended day, as content always comes before the day it is read on.
WEDNESDAY_LATE = datetime(2037, 12, 2, 16, 30, tzinfo=UTC)
THURSDAY_EARLY = datetime(2037, 12, 2, 17, 30, tzinfo=UTC)


def _clock(monkeypatch, now):
    monkeypatch.setattr(newsportal.text, "utcnow", lambda: now)


def _header(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        "header.site-header"
    )


def _today(response):
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return soup.select_one("header .today").get_text(strip=True)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("vi", "Thứ Tư, 02/12/2037"), ("en", "Wednesday, 02/12/2037")],
)
def test_date_line_is_todays_date_in_vietnam(client, monkeypatch, lang, line):
    _clock(monkeypatch, WEDNESDAY_LATE)
    header = _header(client, f"/?lang={lang}")
    assert header.select_one(".today").get_text(strip=True) == line


def test_logo_name_and_hotline_come_from_configuration(app, client):
    app.config["SITE_LOGO"] = "img/icon.svg"
    app.config["HOTLINE"] = "0277 3 999 999"
    header = _header(client)
    assert header.select_one(".site-logo")["src"].startswith("/static/img/icon.svg?v=")
    assert header.select_one(".site-name").get_text(strip=True) == app.config["SITE_NAME"]
    hotline = header.select_one(".hotline a")
    assert hotline["href"] == "tel:02773999999"
    assert hotline.get_text(strip=True) == "0277 3 999 999"


def test_hotline_defaults_to_the_editorial_phone(app, client):
    header = _header(client)
    phone = app.config["CONTACTS"]["editorial"]["phone"]
    assert header.select_one(".hotline a").get_text(strip=True) == phone
    assert header.select_one(".site-logo")["src"].startswith("/static/img/logo.svg?v=")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_cached_yesterday_is_not_served_today(
    client, monkeypatch, make_article, make_category, lang
):
    make_article("Tin hôm nay", category_id=make_category("Thời sự"))
    client.get(f"/?lang={lang}")  # the language choice, kept in the session
    client.get("/")  # reads the flashed "language changed": the next pages are shared
    _clock(monkeypatch, WEDNESDAY_LATE)
    first = client.get("/")
    assert _today(first).endswith("02/12/2037")
    assert client.get("/").get_data() == first.get_data()  # served from the page cache
    _clock(monkeypatch, THURSDAY_EARLY)
    assert _today(client.get("/")).endswith("03/12/2037")
    again = client.get("/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 200
    assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
