"""Static files under content-hashed URLs: a year in every cache, and a new URL on each change."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsportal import create_app
from newsportal.static_urls import IMMUTABLE, file_hashes

pytestmark = pytest.mark.sqlite_only("static URLs do not depend on the database")
STATIC = Path(__file__).resolve().parents[1] / "static"
FILES = ["css/site.css", "css/print.css", "js/comment-token.js", "img/share.jpg"]


def fetch(client, url):
    """The answer, its file closed (send_file streams it)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("name", FILES)
def test_url_for_names_the_hash_of_the_bytes_and_that_url_is_kept_a_year(app, client, name):
    with app.test_request_context():
        url = app.url_for("static", filename=name)
    assert url == f"/static/{name}?v={digest(name)}"
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.data == (STATIC / name).read_bytes()
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("query", ["", "?v=0123456789ab", "?v=", "?v=../../etc"])
def test_an_old_or_missing_hash_gets_the_current_file_revalidated_not_kept(client, query):
    response = fetch(client, f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert response.data == (STATIC / "css/site.css").read_bytes()
    assert "immutable" not in response.headers["Cache-Control"]
    assert "max-age=31536000" not in response.headers["Cache-Control"]
    assert response.headers["ETag"]


def test_a_missing_file_is_a_404_whatever_its_hash(client):
    assert fetch(client, "/static/css/none.css?v=0123456789ab").status_code == 404


def test_pages_link_hashed_stylesheets_and_scripts(client, make_article):
    slug = make_article("Tin có bình luận").slug
    html = BeautifulSoup(client.get(f"/articles/{slug}").data, "html.parser")
    links = [tag["href"] for tag in html.select("link[rel=stylesheet]")]
    links += [tag["src"] for tag in html.select("script[src]")]
    assert links
    for link in links:
        match = re.fullmatch(r"/static/(.+)\?v=([0-9a-f]{12})", link)
        assert match is not None, link
        assert match.group(2) == digest(match.group(1))


def test_a_changed_file_gets_a_new_url_at_the_next_start(tmp_path, monkeypatch, app_config):
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "css/site.css").write_text("body { color: black; }")
    before = file_hashes(folder)["css/site.css"]
    (folder / "css/site.css").write_text("body { color: navy; }")
    after = file_hashes(folder)["css/site.css"]
    assert before != after
    assert file_hashes(tmp_path / "absent") == {}
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    site = create_app(app_config)
    site.static_folder = str(folder)  # what the app reads is fixed at start-up
    with site.test_request_context():
        url = site.url_for("static", filename="css/site.css")
    assert url.endswith(f"?v={digest('css/site.css')}")
