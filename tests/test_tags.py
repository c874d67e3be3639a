"""Tags (thẻ): typed in the article form, shown on the article, each with its page and feed, in
the sitemap and in search."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from newsportal.articles import services
from newsportal.articles.importer import import_article, parse_file
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import Article, Tag

from .test_editor import form_for, local_input
from .test_import import GOOD, write

ATOM = "{http://www.w3.org/2005/Atom}"


def _tags(app, title):
    with app.app_context():
        article = db.session.scalar(db.select(Article).where(Article.title == title))
        return [(t.name, t.slug) for t in article.sorted_tags()]


def test_tags_are_saved_shown_paged_fed_mapped_and_searched(app, auth, client):
    auth.as_role("editor")
    typed = " Lúa gạo , lúa GẠO,, Nông thôn mới; lụa "
    # a minute ago: search shows an article from the second after it went out
    earlier = local_input(-1)
    response = client.post(
        "/editor/articles/new",
        data=form_for("Tin có thẻ", tags=typed, action="publish", published_at=earlier),
    )
    assert response.status_code == 302
    # one tag whatever its case; "lụa" (silk) is not "lúa" (rice): two tags, two addresses
    assert _tags(app, "Tin có thẻ") == [
        ("lụa", "lua"),
        ("Lúa gạo", "lua-gao"),
        ("Nông thôn mới", "nong-thon-moi"),
    ]
    client.post("/editor/articles/new", data=form_for("Tin khác", tags="Lúa", action="publish"))
    assert _tags(app, "Tin khác") == [("Lúa", "lua-2")]
    with app.app_context():
        first = db.session.scalar(db.select(Article.id).where(Article.title == "Tin có thẻ"))
    edit = BeautifulSoup(client.get(f"/editor/articles/{first}").data, "html.parser")
    assert edit.select_one("#tags")["value"] == "lụa, Lúa gạo, Nông thôn mới"
    assert "Lúa gạo" in [o["value"] for o in edit.select("#tag-suggestions option")]

    page = BeautifulSoup(client.get("/articles/tin-co-the").data, "html.parser")
    links = [(a.text, a["href"]) for a in page.select(".tags a[rel=tag]")]
    assert ("Nông thôn mới", "/tags/nong-thon-moi") in links
    listing = client.get("/tags/nong-thon-moi")
    assert listing.status_code == 200
    assert "Tin có thẻ" in listing.get_data(as_text=True)
    assert "Tin khác" not in listing.get_data(as_text=True)
    feed = ET.fromstring(client.get("/tags/lua-2/feed.xml").data)
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Tin khác"]
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "http://127.0.0.1:5000/tags/nong-thon-moi</loc>" in sitemap
    # the body says nothing of it: the tag finds it
    found = client.get("/search?q=nong+thon+moi").get_data(as_text=True)
    assert "Tin có thẻ" in found

    # a change of tags alone is a change readers see: the cached tag page follows it
    client.post(f"/editor/articles/{first}", data=form_for("Tin có thẻ", tags="lụa"))
    assert client.get("/tags/nong-thon-moi").status_code == 404  # no article carries it now
    assert "nong-thon-moi" not in client.get("/sitemap.xml").get_data(as_text=True)
    assert "Tin có thẻ" not in client.get("/search?q=nong+thon+moi").get_data(as_text=True)


def test_a_draft_has_no_tag_page_and_an_unknown_tag_none(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/articles/new", data=form_for("Bản nháp", tags="Bí mật"))
    assert _tags(app, "Bản nháp") == [("Bí mật", "bi-mat")]
    assert client.get("/tags/bi-mat").status_code == 404
    assert client.get("/tags/khong-co").status_code == 404
    assert client.get("/tags/khong-co/feed.xml").status_code == 404
    assert "bi-mat" not in client.get("/sitemap.xml").get_data(as_text=True)


@pytest.mark.sqlite_only("form checks, the same on every database")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (", ".join(f"Thẻ {n}" for n in range(11)), "tối đa 10 thẻ"),
        ("Lúa, " + "Đ" * 41, "không quá 40 ký tự"),
        ("Lúa, !!!", "ít nhất một chữ cái"),
        ("x" * 601, "Tối đa 600 ký tự"),  # the field's own length limit
    ],
)
def test_bad_tags_are_refused_with_everything_kept(app, auth, client, typed, message):
    auth.as_role("editor")
    response = client.post("/editor/articles/new", data=form_for("Tin thử", tags=typed))
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert message in page.select_one("#tags").find_parent(class_="field").text
    assert page.select_one("#tags")["value"] == typed
    assert page.select_one("#title")["value"] == "Tin thử"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Tag.id))) == 0


@pytest.mark.sqlite_only("the importer's reading of front matter")
def test_the_importer_reads_tags_and_an_update_without_them_keeps_them(app, tmp_path):
    tagged = GOOD.replace("status: published", "tags: [Sen, Du lịch]\nstatus: published")
    with app.app_context():
        assert parse_file(write(tmp_path, "a.md", tagged)).tags == ["Sen", "Du lịch"]
        article = import_article(parse_file(write(tmp_path, "a.md", tagged)))
        assert [t.name for t in article.sorted_tags()] == ["Du lịch", "Sen"]
        article = import_article(parse_file(write(tmp_path, "b.md", GOOD)), update=True)
        assert [t.name for t in article.sorted_tags()] == ["Du lịch", "Sen"]
        text = GOOD.replace("status: published", 'tags: "Sen; Hoa"\nstatus: published')
        article = import_article(parse_file(write(tmp_path, "c.md", text)), update=True)
        assert [t.name for t in article.sorted_tags()] == ["Hoa", "Sen"]
        bad = GOOD.replace("status: published", "tags: {a: 1}\nstatus: published")
        with pytest.raises(FieldError) as refused:
            parse_file(write(tmp_path, "d.md", bad))
        assert (refused.value.field, refused.value.code) == ("tags", "not_text")


@pytest.mark.sqlite_only("a pure function")
@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("a, b;c", ["a", "b", "c"]),
        (" , ;", []),
        ("Đồng\u00a0 Tháp ,", ["Đồng Tháp"]),
        ("Lúa、Gạo，Sen", ["Lúa", "Gạo", "Sen"]),
    ],
)
def test_split_tags(typed, names):
    assert services.split_tags(typed) == names
