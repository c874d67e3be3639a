"""The editor's writing tools on the server: autosave (one bounded row, never a revision, never a
public change), pictures uploaded and listed as JSON for the body, the whole-article preview,
and a form saved untouched keeping its body byte for byte."""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from newsportal import content_version, pagecache
from newsportal.extensions import db
from newsportal.media import views as media_views
from newsportal.models import Article, ArticleRevision, Autosave

from .test_import import SEED

RESTORE = "Khôi phục bản lưu tự động lúc"
# What the visual editor would re-spell, and the importer keeps: spacing, markers, a typo.
ODD_BODY = (
    "Sáng  nay,   UBND xã họp.\nDòng liền.\n\n+ mục một\n+ mục hai\n\n"
    "__Đậm__ và lỗi chíng tả.\n\n|a|b|\n|-|-|\n|1|2|"
)


def _picture(colour: str, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(out, fmt)
    return out.getvalue()


def _rows(app):
    with app.app_context():
        return [(r.kind, r.content_id, r.fields) for r in db.session.scalars(db.select(Autosave))]


def _form_of(page: str) -> dict[str, str]:
    """What a browser sends for the edit form as it was served, nothing touched."""
    form = BeautifulSoup(page, "html.parser").find("form", id="article-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") == "file":
            continue
        if field.name == "textarea":
            # A browser drops the newline that opens a textarea, and sends CRLF line ends.
            text = re.sub(r"^\r?\n", "", field.string or "")
            data[name] = text.replace("\r\n", "\n").replace("\n", "\r\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "y")
        else:
            data[name] = field.get("value", "")
    return data


def test_an_autosave_is_one_row_that_no_reader_sees_and_a_save_drops_it(
    app, client, auth, make_article, monkeypatch
):
    article = make_article(body="Thân bài đã đăng.")
    hits = []
    monkeypatch.setattr(pagecache.metrics, "page_cache", lambda hit: hits.append(hit))
    reader = app.test_client()
    first = reader.get(f"/articles/{article.slug}")
    auth.as_role("editor")
    with app.app_context():
        version = content_version.peek()
        revisions = db.session.scalar(db.select(db.func.count(ArticleRevision.id)))
    url = f"/editor/articles/{article.id}/autosave"
    for body in ("Bản nháp một", "Bản nháp hai"):
        answer = client.post(url, data={"title": "Tựa mới", "body": body, "stranger": "x"})
        assert answer.status_code == 200
        assert re.fullmatch(r"\d\d:\d\d - \d\d/\d\d/\d{4}", answer.get_json()["saved_label"])
    assert _rows(app) == [("article", article.id, {"title": "Tựa mới", "body": "Bản nháp hai"})]
    with app.app_context():
        assert content_version.peek() == version
        kept = db.session.get(Article, article.id)
        assert (kept.title, kept.body_md, kept.updated_at) == (
            article.title,
            article.body_md,
            article.updated_at,
        )
        assert db.session.scalar(db.select(db.func.count(ArticleRevision.id))) == revisions
    again = reader.get(f"/articles/{article.slug}")
    assert hits == [False, True]  # the cached page was served again, not made afresh
    assert again.get_data() == first.get_data()

    page = client.get(f"/editor/articles/{article.id}").get_data(as_text=True)
    assert RESTORE in page
    restored = client.get(f"/editor/articles/{article.id}?restore=autosave")
    soup = BeautifulSoup(restored.get_data(as_text=True), "html.parser")
    assert soup.find("input", id="title")["value"] == "Tựa mới"
    assert soup.find("textarea", id="body").string.strip() == "Bản nháp hai"
    form = _form_of(restored.get_data(as_text=True))
    assert client.post(f"/editor/articles/{article.id}", data=form).status_code == 302
    assert _rows(app) == []
    assert RESTORE not in client.get(f"/editor/articles/{article.id}").get_data(as_text=True)


@pytest.mark.sqlite_only("request handling: the row itself is covered on both engines")
def test_autosaves_are_bounded_per_form_and_answer_scripts_in_json(app, client, auth):
    anonymous = client.post("/editor/articles/new/autosave", data={"body": "x"})
    assert anonymous.status_code == 401
    assert anonymous.get_json()["signed_out"] is True
    auth.as_role("editor")
    too_long = client.post("/editor/articles/new/autosave", data={"body": "a" * 200_001})
    assert too_long.status_code == 400
    assert too_long.get_json()["error"]
    assert _rows(app) == []
    # The new-article form: offered there, then dropped by the save that creates the article.
    assert client.post("/editor/articles/new/autosave", data={"title": "Nháp"}).status_code == 200
    assert client.post("/editor/pages/new/autosave", data={"title": "Trang"}).status_code == 200
    assert RESTORE in client.get("/editor/articles/new").get_data(as_text=True)
    created = client.post(
        "/editor/articles/new",
        data={"title": "Nháp", "body": "Thân.", "category_id": "None", "action": "save"},
    )
    assert created.status_code == 302
    assert _rows(app) == [("page", 0, {"title": "Trang"})]
    assert client.post("/editor/pages/new/autosave/discard").status_code == 302
    assert _rows(app) == []


@pytest.mark.sqlite_only("CSRF checks are the forms', not the database's")
def test_autosave_and_picture_upload_need_the_page_token(csrf_app, make_user):
    from .conftest import PASSWORD

    client = csrf_app.test_client()
    make_user("editor")
    login = client.get("/login").get_data(as_text=True)
    token = BeautifulSoup(login, "html.parser").find("input", attrs={"name": "csrf_token"})
    client.post(
        "/login",
        data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token["value"]},
    )
    refused = client.post("/editor/articles/new/autosave", data={"body": "Chữ"})
    assert refused.status_code == 400
    assert "tải lại trang" in refused.get_json()["error"]
    upload = client.post(
        "/editor/images/upload.json",
        data={"file": (io.BytesIO(_picture("teal")), "a.png")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400
    assert "tải lại trang" in upload.get_json()["error"]
    assert _rows(csrf_app) == []


@pytest.mark.sqlite_only("the image checks are covered by test_media on both engines")
def test_pictures_for_the_body_upload_and_list_as_json(app, client, auth, monkeypatch):
    auth.as_role("editor")

    def send(data: bytes, name: str):
        return client.post(
            "/editor/images/upload.json",
            data={"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    good = send(_picture("teal"), "cau.png")
    assert good.status_code == 200
    image = good.get_json()["image"]
    assert re.fullmatch(r"/uploads/[0-9a-f]{64}\.png", image["url"])
    with client.get(image["url"]) as served:
        assert served.status_code == 200
    bad = send(b"<svg onload=alert(1)>", "x.png")
    assert bad.status_code == 400
    assert bad.get_json()["error"].startswith("Tệp này không phải")  # the upload page's message
    none = client.post("/editor/images/upload.json", data={}, content_type="multipart/form-data")
    assert none.status_code == 400
    assert none.get_json()["error"]
    assert send(_picture("olive", "JPEG"), "b.jpg").status_code == 200

    monkeypatch.setattr(media_views, "LIBRARY_PAGE", 1)
    first = client.get("/editor/images/library.json").get_json()
    assert [i["name"] for i in first["images"]] == ["b.jpg"]
    assert first["next"] == 2
    second = client.get("/editor/images/library.json?page=2").get_json()
    assert [i["name"] for i in second["images"]] == ["cau.png"]
    assert second["next"] is None
    assert client.get("/editor/images/library.json?page=x").get_json()["page"] == 1
    assert client.get("/editor/images/library.json?page=999999999").get_json()["images"] == []


@pytest.mark.sqlite_only("rendering: markup and templates, not the database")
def test_the_preview_is_the_whole_article_as_readers_will_see_it(app, client, auth):
    auth.as_role("editor")
    uploaded = client.post(
        "/editor/images/upload.json",
        data={"file": (io.BytesIO(_picture("navy")), "anh.png")},
        content_type="multipart/form-data",
    ).get_json()["image"]
    fields = {
        "title": "Khánh thành cầu",
        "lead": "Sapo của bài.",
        "body": "Thân **bài**.",
        "byline": "Minh Hằng",
        "featured_image_id": str(uploaded["id"]),
        "featured_image_alt": "Cây cầu mới",
        "published_at": "2026-07-01T08:30",
    }
    live = BeautifulSoup(client.post("/editor/articles/preview", data=fields).data, "html.parser")
    button = client.post("/editor/articles/new", data={**fields, "action": "preview"})
    for soup in (live, BeautifulSoup(button.data, "html.parser").find(id="preview")):
        assert soup.find("h3").get_text() == "Khánh thành cầu"
        assert soup.find(class_="lead").get_text() == "Sapo của bài."
        assert soup.find("figure").find("img")["alt"] == "Cây cầu mới"
        assert soup.find(class_="body").find("strong").get_text() == "bài"
        assert soup.find(class_="byline").get_text(strip=True) == "Minh Hằng"
        assert soup.find("time").get_text() == "08:30 - 01/07/2026"
    odd_time = client.post("/editor/articles/preview", data={"title": "T", "published_at": "x"})
    assert odd_time.status_code == 200  # an unreadable time is previewed as now
    refused = client.post("/editor/articles/preview", data={"title": "T", "body": "[" * 20_000})
    assert refused.status_code == 200
    assert 'role="alert"' in refused.get_data(as_text=True)  # the reason, not a page


def test_an_article_saved_untouched_keeps_its_body_byte_for_byte(
    app, client, auth, make_article, runner
):
    articles = [make_article(body=ODD_BODY, when=None)]
    if SEED.exists():  # the imported seed: the editors' words, typos and spacing as they are
        assert runner.invoke(args=["articles", "import", str(SEED)]).exit_code == 0
        with app.app_context():
            articles.append(db.session.scalars(db.select(Article).order_by(Article.id)).all()[-1])
    auth.as_role("editor")
    for article in articles:
        before = article.body_md.encode()
        page = client.get(f"/editor/articles/{article.id}").get_data(as_text=True)
        form = {**_form_of(page), "action": "save"}
        assert client.post(f"/editor/articles/{article.id}", data=form).status_code == 302
        with app.app_context():
            assert db.session.get(Article, article.id).body_md.encode() == before
