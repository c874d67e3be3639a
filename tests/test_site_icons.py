"""The favicon, icons and web manifest browsers fetch on their own, and the page linking them."""

from __future__ import annotations

import json
import re

import pytest
from flask import url_for
from PIL import Image


def _max_age(response) -> int:
    found = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    assert found, response.headers.get("Cache-Control")
    return int(found.group(1))


def test_favicon_is_an_icon_kept_for_a_week(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"
    assert _max_age(response) >= 7 * 24 * 3600
    response.close()


def test_manifest_names_the_site_and_its_icons(app, client):
    response = client.get("/site.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert _max_age(response) >= 7 * 24 * 3600
    body = json.loads(response.get_data(as_text=True))
    assert body["name"] == app.config["SITE_NAME"]
    assert body["theme_color"]
    assert body["background_color"]
    assert {icon["type"] for icon in body["icons"]} == {"image/svg+xml", "image/png"}
    for icon in body["icons"]:
        fetched = client.get(icon["src"])
        assert fetched.status_code == 200
        assert fetched.mimetype == icon["type"]
        fetched.close()


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [("img/icon.svg", "image/svg+xml"), ("img/apple-touch-icon.png", "image/png")],
)
def test_static_icons_are_kept_a_year(app, client, name, mimetype):
    with app.test_request_context():
        url = url_for("static", filename=name)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert _max_age(response) >= 365 * 24 * 3600
    response.close()


def test_apple_touch_icon_is_180_square(app):
    with Image.open(f"{app.static_folder}/img/apple-touch-icon.png") as image:
        assert image.size == (180, 180)


def test_every_page_links_the_icons_and_manifest(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert re.search(
        r'<link rel="icon" href="/static/img/icon\.svg\?v=\w+" type="image/svg\+xml">', html
    )
    assert re.search(
        r'<link rel="apple-touch-icon" href="/static/img/apple-touch-icon\.png\?v=\w+">', html
    )
    assert '<link rel="manifest" href="/site.webmanifest">' in html
