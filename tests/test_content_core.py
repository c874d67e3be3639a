"""Articles and information pages follow one content core: one slug rule, one revision table."""

from dataclasses import dataclass
from typing import Any

import pytest
from bs4 import BeautifulSoup

from newsportal.articles.forms import ERRORS as ARTICLE_ERRORS
from newsportal.extensions import db
from newsportal.models import Article, ArticleRevision, Page, PageRevision, Revision
from newsportal.pages.forms import ERRORS as PAGE_ERRORS

from .test_editor import form_for
from .test_pages import page_form


@dataclass(frozen=True)
class Kind:
    model: Any
    revision: Any
    desk: str  # the desk's URL for one item, without the id
    form: Any
    errors: Any
    publish: str  # the form action that makes it public


ARTICLE = Kind(
    Article, ArticleRevision, "/editor/articles", form_for, ARTICLE_ERRORS, "publish_now"
)
PAGE = Kind(Page, PageRevision, "/editor/pages", page_form, PAGE_ERRORS, "publish")
KINDS = [pytest.param(ARTICLE, id="article"), pytest.param(PAGE, id="page")]


def slugs(app, kind):
    with app.app_context():
        return list(db.session.scalars(db.select(kind.model.slug).order_by(kind.model.id)))


def new(client, kind, title, **extra):
    response = client.post(f"{kind.desk}/new", data=kind.form(title, **extra))
    return response, int(response.headers["Location"].rsplit("/", 1)[1])


def error_next_to_slug(app, response, code, kind):
    page = BeautifulSoup(response.get_data(as_text=True), "html5lib")
    with app.test_request_context():
        expected = str(kind.errors[code])
    return page.select_one("#slug-error").get_text() == expected


@pytest.mark.parametrize("kind", KINDS)
def test_a_slug_made_from_the_title_gets_a_suffix_when_taken(app, auth, client, kind):
    auth.as_role("editor")
    for _ in range(3):
        assert client.post(f"{kind.desk}/new", data=kind.form("Lịch tiếp dân")).status_code == 302
    assert slugs(app, kind) == ["lich-tiep-dan", "lich-tiep-dan-2", "lich-tiep-dan-3"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_typed_slug_that_is_taken_is_refused_with_a_message(app, auth, client, kind):
    auth.as_role("editor")
    new(client, kind, "Lịch tiếp dân")
    response = client.post(f"{kind.desk}/new", data=kind.form("Khác hẳn", slug="lich-tiep-dan"))
    assert response.status_code == 200
    assert error_next_to_slug(app, response, "taken", kind)
    assert (
        BeautifulSoup(response.get_data(as_text=True), "html5lib").select_one("#title")["value"]
        == "Khác hẳn"
    )
    assert slugs(app, kind) == ["lich-tiep-dan"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_slug_is_fixed_once_the_content_has_been_public(app, auth, client, kind):
    auth.as_role("editor")
    _, item_id = new(client, kind, "Bản nháp")
    client.post(f"{kind.desk}/{item_id}", data=kind.form("Bản nháp", slug="Địa chỉ MỚI"))
    assert slugs(app, kind) == ["dia-chi-moi"]  # editable while nobody could see it
    client.post(f"{kind.desk}/{item_id}", data=kind.form("Bản nháp", action=kind.publish))
    client.post(f"{kind.desk}/{item_id}/unpublish")
    response = client.post(f"{kind.desk}/{item_id}", data=kind.form("Tên khác", slug="khac"))
    assert error_next_to_slug(app, response, "published", kind)
    client.post(f"{kind.desk}/{item_id}", data=kind.form("Tên khác"))
    assert slugs(app, kind) == ["dia-chi-moi"]


def test_revisions_of_each_kind_stay_with_their_own_content(app, auth, client):
    auth.as_role("editor")
    _, same_id = new(client, ARTICLE, "Bài viết")
    with app.app_context():  # a page with the same id: `kind` tells the revisions apart
        db.session.add(Page(id=same_id, title="Giới thiệu cơ quan", slug="trang-thong-tin"))
        db.session.add(PageRevision(page_id=same_id, title="Giới thiệu cơ quan", note="save"))
        db.session.commit()
        rows = db.session.execute(db.select(Revision.kind, Revision.content_id, Revision.title))
        assert sorted(rows) == [
            ("article", same_id, "Bài viết"),
            ("page", same_id, "Giới thiệu cơ quan"),
        ]
        page_rev = db.session.scalar(db.select(PageRevision.id))
        article_rev = db.session.scalar(db.select(ArticleRevision.id))
    assert client.get(f"/editor/articles/{same_id}/revisions/{page_rev}").status_code == 404
    assert client.get(f"/editor/pages/{same_id}/revisions/{article_rev}").status_code == 404
    for desk, own, other in (
        ("articles", "Bài viết", "Giới thiệu cơ quan"),
        ("pages", "Giới thiệu cơ quan", "Bài viết"),
    ):
        history = client.get(f"/editor/{desk}/{same_id}/history").get_data(as_text=True)
        assert own in history
        assert other not in history


def test_deleting_a_draft_page_takes_its_revisions(app, auth, client):
    auth.as_role("editor")
    _, page_id = new(client, PAGE, "Nháp sẽ xoá")
    client.post(f"/editor/pages/{page_id}", data=page_form("Nháp sẽ xoá", lead="Sửa."))
    client.post(f"/editor/pages/{page_id}/delete")
    with app.app_context():
        assert db.session.get(Page, page_id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 0
