"""Articles and information pages follow one content core: one slug rule, one revision table."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup

from newsportal.articles import services as articles
from newsportal.articles.forms import ERRORS as ARTICLE_ERRORS
from newsportal.content import bulk
from newsportal.content import services as content
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    Page,
    PageRevision,
    PageStatus,
    Revision,
    SearchDocument,
)
from newsportal.pages import services as pages
from newsportal.pages.forms import ERRORS as PAGE_ERRORS
from newsportal.text import utcnow

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
    reader: str  # the public URL, without the slug
    draft: Any  # a new, unsaved item with its kind's own required columns


def _draft(model, status):
    def make(title, body="Thân **bài**."):
        return model(
            title=title, lead="Sapo.", body_md=body, body_html=f"<p>{body}</p>", status=status
        )

    return make


ARTICLE = Kind(
    Article,
    ArticleRevision,
    "/editor/articles",
    form_for,
    ARTICLE_ERRORS,
    "publish_now",
    "/articles",
    _draft(Article, ArticleStatus.DRAFT),
)
PAGE = Kind(
    Page,
    PageRevision,
    "/editor/pages",
    page_form,
    PAGE_ERRORS,
    "publish",
    "/pages",
    _draft(Page, PageStatus.DRAFT),
)
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
    _, page_id = new(client, PAGE, "Nháp sẽ xóa")
    client.post(f"/editor/pages/{page_id}", data=page_form("Nháp sẽ xóa", lead="Sửa."))
    client.post(f"/editor/pages/{page_id}/delete")
    with app.app_context():
        assert db.session.get(Page, page_id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 0


def document(app, kind, item_id):
    with app.app_context():
        doc = db.session.scalar(
            db.select(SearchDocument).where(
                SearchDocument.kind == kind.model.kind, SearchDocument.ref_id == item_id
            )
        )
        return None if doc is None else (doc.url, doc.title, doc.visible_from)


def item(app, kind, item_id):
    with app.app_context():
        found = db.session.get(kind.model, item_id)
        db.session.expunge(found)
        return found


@pytest.mark.parametrize("kind", KINDS)
def test_publish_and_unpublish_are_the_same_steps_for_both_kinds(app, auth, client, kind):
    auth.as_role("editor")
    _, item_id = new(client, kind, "Lịch tiếp công dân")
    url = f"{kind.reader}/lich-tiep-cong-dan"
    assert client.get(url).status_code == 404
    assert document(app, kind, item_id) is None  # a draft is not searchable
    client.post(f"{kind.desk}/{item_id}", data=kind.form("Lịch tiếp công dân", action="publish"))
    published = item(app, kind, item_id)
    assert published.is_live()
    assert published.first_published_at is not None  # the slug is frozen from now on
    assert client.get(url).status_code == 200
    assert document(app, kind, item_id)[:2] == (url, "Lịch tiếp công dân")
    with app.app_context():
        rev = kind.revision
        query = db.select(rev.note).where(rev.content_id == item_id).order_by(rev.id)
        notes = list(db.session.scalars(query))
    assert notes == ["save", "publish"]
    client.post(f"{kind.desk}/{item_id}/unpublish")
    withdrawn = item(app, kind, item_id)
    assert not withdrawn.is_live()
    assert withdrawn.status == "draft"
    assert withdrawn.first_published_at == published.first_published_at
    assert client.get(url).status_code == 404
    assert document(app, kind, item_id) is None


def test_a_future_time_schedules_an_article_with_nothing_to_run_later(app, make_article):
    article = make_article("Lịch cúp điện tuần sau", when=90)
    assert article.state() == "scheduled"
    assert article.first_published_at is None
    later = article.published_at + timedelta(seconds=1)
    assert article.state(now=later) == "published"  # decided when it is read: no cron
    assert document(app, ARTICLE, article.id)[2] == article.published_at  # search waits too


def test_a_page_has_no_time_to_schedule(app):
    with app.app_context():
        page = PAGE.draft("Giới thiệu")
        with pytest.raises(FieldError) as refused:
            content.publish(page, utcnow() + timedelta(hours=1))
        assert (refused.value.field, refused.value.code) == ("published_at", "invalid")
        data = pages.PageData(title="Giới thiệu", lead="", body_md="Nội dung.")
        with pytest.raises(FieldError) as refused:
            pages.save_page(None, data, None, "publish_now")
        assert (refused.value.field, refused.value.code) == ("action", "invalid")
        assert db.session.scalar(db.select(db.func.count()).select_from(Page)) == 0


def _documents(model):
    docs = db.select(SearchDocument).where(SearchDocument.kind == model.kind)
    return sorted(
        (d.ref_id, d.url, d.title, d.text, d.title_folded, d.text_folded, d.visible_from)
        for d in db.session.scalars(docs)
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_bulk_write_makes_what_single_saves_make(app, kind):
    """Slugs by the same rule, a revision each, and the search documents a single save writes."""
    title = "Đồng Tháp: Hội nghị tổng kết"
    with app.app_context():
        if kind is ARTICLE:
            data = articles.ArticleData(title=title, lead="Sapo.", body_md="Một.", byline="")
            articles.save_article(None, data, None, "publish")
        else:
            pages.save_page(
                None, pages.PageData(title=title, lead="", body_md="Một."), None, "publish"
            )
        items = [kind.draft(title, body) for body in ("Hai **đậm**.", "Ba.", "Hai **đậm**.")]
        content.publish(items[0])
        content.publish(items[1])  # items[2] stays a draft
        bulk.add_many(items)
        stored = list(db.session.scalars(db.select(kind.model).order_by(kind.model.id)))
        assert [i.slug for i in stored] == [
            "dong-thap-hoi-nghi-tong-ket",
            "dong-thap-hoi-nghi-tong-ket-2",
            "dong-thap-hoi-nghi-tong-ket-3",
            "dong-thap-hoi-nghi-tong-ket-4",
        ]
        assert [i.is_live() for i in stored] == [True, True, True, False]
        revisions = list(db.session.scalars(db.select(kind.revision).order_by(kind.revision.id)))
        assert [(r.content_id, r.note, r.body_md) for r in revisions[1:]] == [
            (stored[1].id, "publish", "Hai **đậm**."),
            (stored[2].id, "publish", "Ba."),
            (stored[3].id, "save", "Hai **đậm**."),
        ]
        written = _documents(kind.model)
        assert [d[0] for d in written] == [i.id for i in stored[:3]]
        content.reindex(kind.model)  # the single path writes every document again
        assert _documents(kind.model) == written
