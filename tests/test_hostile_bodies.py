"""A body the renderer refuses gets a clear message on the same form, with the text kept.

At save and at preview alike, on the article desk and the information-page desk; never a 500.
"""

import pytest
from bs4 import BeautifulSoup

from newsportal.extensions import db
from newsportal.models import ArticleRevision, Page, PageRevision

from .conftest import all_articles
from .test_editor import form_for
from .test_pages import page_form

HOSTILE = {
    "brackets": ("[" * 20_000, "hàng nghìn dấu ngoặc"),
    "nested divs": ("<div>" * 2_000 + "x" + "</div>" * 2_000, "sâu quá 64 cấp"),
}


def shown(response, body):
    """The page re-rendered, the reason next to the body, the typed body in its textarea."""
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    # A browser drops the one newline WTForms writes after <textarea>.
    assert page.find("textarea", id="body").get_text().removeprefix("\r\n") == body
    return page.get_text(" ")


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("action", ["save", "publish", "preview"])
def test_article_desk_explains_a_refused_body_and_keeps_it(app, auth, client, name, action):
    body, message = HOSTILE[name]
    auth.as_role("editor")
    response = client.post("/editor/articles/new", data=form_for(body=body, action=action))
    assert message in shown(response, body)
    assert all_articles(app) == []


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("action", ["save", "preview"])
def test_page_desk_explains_a_refused_body_and_keeps_it(app, auth, client, name, action):
    body, message = HOSTILE[name]
    auth.as_role("editor")
    response = client.post("/editor/pages/new", data=page_form(body=body, action=action))
    assert message in shown(response, body)
    with app.app_context():
        assert db.session.scalars(db.select(Page)).all() == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_live_preview_shows_the_reason_instead_of_hanging(auth, client, name):
    body, message = HOSTILE[name]
    auth.as_role("editor")
    response = client.post("/editor/preview", data={"body": body})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    notice = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(role="alert")
    assert message in notice.get_text()


def test_restoring_a_revision_the_renderer_refuses_explains_and_changes_nothing(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/articles/new", data=form_for(body="Đoạn *đầu*."))
    (article,) = all_articles(app)
    with app.app_context():  # a body kept from before the bounds existed
        old = ArticleRevision(
            article_id=article.id, title="Cũ", lead="", body_md="[" * 20_000, note="save"
        )
        db.session.add(old)
        db.session.commit()
        old_id = old.id
    response = client.post(
        f"/editor/articles/{article.id}/revisions/{old_id}/restore", follow_redirects=True
    )
    assert response.status_code == 200
    assert HOSTILE["brackets"][1] in response.get_data(as_text=True)
    (unchanged,) = all_articles(app)
    assert (unchanged.title, unchanged.body_md) == (article.title, "Đoạn *đầu*.")


def test_restoring_a_page_revision_the_renderer_refuses_changes_nothing(app, auth, client):
    auth.as_role("editor")
    client.post("/editor/pages/new", data=page_form(body="Thân trang."))
    with app.app_context():
        page = db.session.scalars(db.select(Page)).one()
        old = PageRevision(page_id=page.id, title="Cũ", lead="", body_md="<b>" * 100, note="save")
        db.session.add(old)
        db.session.commit()
        page_id, old_id = page.id, old.id
    response = client.post(
        f"/editor/pages/{page_id}/revisions/{old_id}/restore", follow_redirects=True
    )
    assert response.status_code == 200
    assert HOSTILE["nested divs"][1] in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Page, page_id).body_md == "Thân trang."
