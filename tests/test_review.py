"""Review before publishing: reporters write and submit, editors send back with a note or approve
and publish; a published article's pending edit stays out of every reader's page until then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from newsportal.articles import services
from newsportal.content import notices
from newsportal.content.review import Writer
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import (
    Article,
    ArticleRevision,
    Autosave,
    ContentState,
    Review,
    ReviewState,
)
from newsportal.text import iso_time, utcnow

from .conftest import PASSWORD
from .page_helpers import soup

OLD = "Cầu Cao Lãnh thông xe"
NEW = "Cầu Cao Lãnh thông xe sớm hai tháng"
NEW_BODY = "Đoạn mới: **thông xe** trước Tết."


def marked(page, tag):
    """The words a review page marks as added (`ins`) or removed (`del`), without the labels
    read to screen-reader users."""
    found = []
    for element in page.select(f".review-changes {tag}"):
        for label in element.select(".visually-hidden"):
            label.extract()
        found.append(element.get_text().strip())
    return found


def data(title: str = OLD, body: str = "Nội dung bài.", **extra: Any) -> services.ArticleData:
    return services.ArticleData(
        title=title, lead="Sapo.", body_md=body, byline="Minh Hằng", **extra
    )


def refused(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(FieldError) as caught:
        call()
    db.session.rollback()
    return caught.value.field, caught.value.code


def steps(article_id: int) -> list[tuple[str, str | None, str]]:
    query = db.select(ArticleRevision).where(ArticleRevision.content_id == article_id)
    rows = db.session.scalars(query.options(db.joinedload(ArticleRevision.user)).order_by("id"))
    return [(r.note, r.user.role if r.user else None, r.remark) for r in rows]


def review_of(article_id: int) -> Review | None:
    return db.session.scalar(db.select(Review).where(Review.content_id == article_id))


def version() -> int:
    return db.session.get_one(ContentState, 1).version


@pytest.fixture
def people(app: Flask, make_user: Callable[..., int]) -> dict[str, Writer]:
    found = {role: Writer(make_user(role), role) for role in ("reporter", "editor", "moderator")}
    found["other"] = Writer(make_user("reporter", "khac@example.org"), "reporter")
    return found


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """What the notification hooks were told (where email plugs in)."""
    told: list[tuple[str, int]] = []
    monkeypatch.setattr(notices, "review_requested", lambda i: told.append(("requested", i)))
    monkeypatch.setattr(notices, "sent_back", lambda i: told.append(("sent_back", i)))
    return told


def test_a_draft_goes_from_reporter_to_editor_and_back_then_out(app, people, heard):
    reporter, editor, moderator, other = (
        people[k] for k in ("reporter", "editor", "moderator", "other")
    )
    with app.app_context():
        # A reporter never publishes, nor saves a time; a moderator does not write at all.
        assert refused(lambda: services.write_article(None, data(), reporter, "publish")) == (
            "action",
            "not_allowed",
        )
        assert refused(lambda: services.write_article(None, data(), moderator, "submit")) == (
            "action",
            "not_allowed",
        )
        article = services.write_article(None, data(), reporter, "save")
        article_id = article.id
        assert (article.created_by_id, article.status) == (reporter.id, "draft")
        assert refused(lambda: services.write_article(article, data(), other, "save")) == (
            "action",
            "not_yours",
        )
        assert refused(lambda: services.approve(article, editor, None)) == ("action", "not_pending")

        services.write_article(article, data(body="Bản gửi duyệt."), reporter, "submit")
        assert review_of(article_id).state == ReviewState.PENDING
        assert heard == [("requested", article_id)]
        # Waiting: the reporter cannot change it, nor send it twice; only editors judge it.
        for action in ("save", "submit"):
            assert refused(
                lambda a=action: services.write_article(article, data(), reporter, a)
            ) == (
                "action",
                "in_review",
            )
        for who in (reporter, moderator):
            assert refused(lambda w=who: services.send_back(article, "Sửa.", w)) == (
                "action",
                "not_allowed",
            )
            assert refused(lambda w=who: services.approve(article, w, None)) == (
                "action",
                "not_allowed",
            )
        assert refused(lambda: services.send_back(article, " \n ", editor)) == ("note", "required")
        assert refused(lambda: services.send_back(article, "x" * 2001, editor)) == (
            "note",
            "too_long",
        )

        services.send_back(article, "Bổ sung nguồn số liệu ở đoạn hai.", editor)
        review = review_of(article_id)
        assert (review.state, review.note) == (
            ReviewState.RETURNED,
            "Bổ sung nguồn số liệu ở đoạn hai.",
        )
        assert heard[-1] == ("sent_back", article_id)
        assert refused(lambda: services.send_back(article, "Lần nữa.", editor)) == (
            "action",
            "not_pending",
        )
        assert refused(lambda: services.approve(article, editor, None)) == ("action", "not_pending")

        # Back with the reporter: edit, resubmit; the editor schedules it.
        services.write_article(article, data(body="Đã bổ sung nguồn."), reporter, "save")
        services.write_article(article, data(body="Đã bổ sung nguồn."), reporter, "submit")
        at = (utcnow() + timedelta(days=1)).replace(microsecond=0)
        services.approve(article, editor, at)
        assert (article.state(), article.published_at) == ("scheduled", at)
        assert review_of(article_id) is None
        assert steps(article_id) == [
            ("save", "reporter", ""),
            ("submit", "reporter", ""),
            ("send_back", "editor", "Bổ sung nguồn số liệu ở đoạn hai."),
            ("save", "reporter", ""),
            ("submit", "reporter", ""),
            ("approve", "editor", ""),
        ]


def test_an_editor_publishing_from_the_edit_form_ends_a_drafts_review(app, people):
    with app.app_context():
        article = services.write_article(None, data(), people["reporter"], "submit")
        services.write_article(article, data(), people["editor"], "publish")
        assert article.is_live()
        assert review_of(article.id) is None


def reader_views(client: FlaskClient, slug: str) -> dict[str, str]:
    """Each public view of the article, as text (search marks the words it found: unmarked)."""
    urls = (f"/articles/{slug}", "/", "/feed.xml", "/sitemap.xml", "/search?q=cao+lanh")
    found = {url: client.get(url).get_data(as_text=True) for url in urls}
    found[urls[-1]] = " ".join(soup_text(found[urls[-1]]).split())
    return found


def soup_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def test_readers_see_the_published_text_until_the_edit_is_approved(app, people, heard):
    reporter, editor = people["reporter"], people["editor"]
    reader = app.test_client()  # no cookie: the page cache answers it (on by default)

    def act(call: Callable[[Article], Any]) -> tuple[int, str, Any]:
        """Run `call` on the article in an app context of its own (requests push their own)."""
        with app.app_context():
            article = db.session.get_one(Article, article_id)
            result = call(article)
            db.session.expire_all()
            return version(), article.title, result

    with app.app_context():
        article = services.write_article(None, data(), reporter, "submit")
        # A minute ago: search shows a document from the second after its time.
        services.approve(article, editor, utcnow() - timedelta(minutes=1))
        slug, article_id, updated_at = article.slug, article.id, article.updated_at
    first = reader_views(reader, slug)
    assert all(OLD in page for url, page in first.items() if url != "/sitemap.xml"), first
    before, _, _ = act(lambda a: None)

    # A published article: the reporter submits changes, never saves them in place.
    assert act(lambda a: refused(lambda: services.write_article(a, data(NEW), reporter, "save")))[
        2
    ] == ("action", "submit_only")
    submitted = act(lambda a: services.write_article(a, data(NEW, NEW_BODY), reporter, "submit"))
    assert submitted[:2] == (before, OLD)
    assert act(lambda a: a.updated_at)[2] == updated_at
    assert reader_views(reader, slug) == first
    assert reader_views(app.test_client(), slug) == first

    sent_back = act(lambda a: services.send_back(a, "Kiểm tra lại ngày thông xe.", editor))
    assert sent_back[:2] == (before, OLD)
    assert reader_views(reader, slug) == first

    act(lambda a: services.write_article(a, data(NEW, NEW_BODY), reporter, "submit"))
    # Readers see it now: a time in the future would hide it.
    later = utcnow() + timedelta(days=1)
    assert act(lambda a: refused(lambda: services.approve(a, editor, later)))[2] == (
        "published_at",
        "future_live",
    )
    approved = act(lambda a: services.approve(a, editor, None))
    assert approved[0] > before
    assert approved[1] == NEW
    after = reader_views(reader, slug)
    assert all(NEW in page for url, page in after.items() if url != "/sitemap.xml")
    assert "<strong>thông xe</strong>" in after[f"/articles/{slug}"]
    # A new lastmod (the sitemap shows seconds: the whole test may run within one).
    changed = act(lambda a: a.updated_at)[2]
    assert changed > updated_at
    assert f"<lastmod>{iso_time(changed)}</lastmod>" in after["/sitemap.xml"]
    with app.app_context():
        assert [note for note, *_ in steps(article_id)] == [
            "submit",
            "approve",
            "submit",
            "send_back",
            "submit",
            "approve",
        ]


def login(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def form(title: str = OLD, body: str = "Nội dung bài.", **extra: str) -> dict[str, str]:
    return {"title": title, "lead": "Sapo.", "body": body, "byline": "Minh Hằng", **extra}


def test_the_desk_for_a_reporter_and_for_the_editor(app, client, people):
    with app.app_context():
        theirs = services.save_article(None, data("Bài của biên tập viên"), people["editor"].id).id
        other = services.write_article(None, data("Bài khác"), people["other"], "save").id
    login(client, "reporter@example.org")
    page = soup(client.get("/editor/articles/new"))
    buttons = [b["value"] for b in page.select("button[name=action]")]
    assert buttons == ["save", "submit", "preview"]  # no publishing, no time
    assert page.select_one("#published_at") is None
    response = client.post("/editor/articles/new", data=form(action="submit"))
    assert response.status_code == 302
    mine = soup(client.get(response.headers["Location"]))
    assert "Đã gửi duyệt" in mine.get_text()
    assert "Chờ duyệt" in mine.select_one(".review-status").get_text()
    assert [b["value"] for b in mine.select("button[name=action]")] == ["preview"]
    listing = soup(client.get("/editor/"))
    assert [a.get_text() for a in listing.select(".desk-table td > a:first-child")] == [OLD]
    assert not listing.select('a[href="/editor/review"], a[href="/editor/categories/"]')
    for url in (f"/editor/articles/{theirs}", f"/editor/articles/{other}/history"):
        assert client.get(url).status_code == 403, url
    for url in ("/editor/review", f"/editor/articles/{theirs}/unpublish"):
        assert client.get(url).status_code in (403, 405), url
    client.post("/logout")

    login(client, "editor@example.org")
    with app.app_context():
        article_id = db.session.scalar(db.select(Article.id).where(Article.title == OLD))
    tabs = soup(client.get("/editor/")).select_one('.desk-tabs a[href="/editor/review"]')
    assert tabs.get_text().split()[:2] == ["Chờ", "duyệt"]
    assert tabs.select_one(".badge-count").get_text() == "1"
    queue = soup(client.get("/editor/review"))
    assert queue.select_one(f'a[href="/editor/articles/{article_id}/review"]').get_text() == OLD
    review = soup(client.get(f"/editor/articles/{article_id}/review"))
    # Never published: all of the text is new, word for word as readers will read it.
    assert marked(review, "ins") == [OLD, "Sapo.", "Nội dung bài."]
    assert marked(review, "del") == []
    # A send-back without a note, or too long a note, keeps what was typed and says why.
    url = f"/editor/articles/{article_id}/review/send-back"
    empty = client.post(url, data={"note": "   "})
    assert empty.status_code == 200
    assert "Hãy ghi rõ người viết cần sửa những gì." in empty.get_data(as_text=True)
    long = client.post(url, data={"note": "Quá dài " * 300})
    assert long.status_code == 200
    assert soup(long).select_one("#note").get_text().strip().startswith("Quá dài Quá dài")
    bad_time = client.post(
        f"/editor/articles/{article_id}/review/approve", data={"published_at": "31/02/2026"}
    )
    assert bad_time.status_code == 200
    assert soup(bad_time).select_one("#published_at")["value"] == "31/02/2026"
    with app.app_context():
        assert review_of(article_id).state == ReviewState.PENDING  # nothing written
    sent = client.post(url, data={"note": "Thêm ảnh minh họa."})
    assert sent.status_code == 302
    assert "Đã trả lại" in soup(client.get(sent.headers["Location"])).get_text()
    history = soup(client.get(f"/editor/articles/{article_id}/history"))
    rows = [" ".join(r.get_text().split()) for r in history.select("tbody tr")]
    assert "Đã trả lại" in rows[0]
    assert "Ý kiến biên tập: Thêm ảnh minh họa." in rows[0]
    assert "Người editor" in rows[0]
    assert "Đã gửi duyệt" in rows[1]
    assert "Người reporter" in rows[1]
    client.post("/logout")

    login(client, "reporter@example.org")
    listing = soup(client.get("/editor/"))
    assert "Ý kiến biên tập: Thêm ảnh minh họa." in " ".join(listing.get_text().split())
    mine = soup(client.get(f"/editor/articles/{article_id}"))
    assert "Thêm ảnh minh họa." in mine.select_one(".review-note").get_text()
    assert not soup(client.get(f"/editor/articles/{article_id}/history")).select(".desk-table form")


def test_a_reporter_edits_a_published_article_as_text_only(app, client, people):
    with app.app_context():
        article = services.write_article(None, data(), people["reporter"], "submit")
        services.approve(article, people["editor"], None)
        article_id, slug = article.id, article.slug
    login(client, "reporter@example.org")
    page = soup(client.get(f"/editor/articles/{article_id}"))
    assert [b["value"] for b in page.select("button[name=action]")] == ["submit", "preview"]
    assert page.select_one("#byline").has_attr("disabled")
    assert page.select_one("fieldset.featured-image").has_attr("disabled")
    assert not page.select("form.danger-zone")  # no unpublishing
    sent = client.post(
        f"/editor/articles/{article_id}",
        data={"title": NEW, "lead": "Sapo.", "body": NEW_BODY, "action": "submit"},
    )
    assert sent.status_code == 302
    # The reporter sees their waiting text; the editor the published one, and the changes.
    assert soup(client.get(f"/editor/articles/{article_id}")).select_one("#title")["value"] == NEW
    client.post("/logout")
    login(client, "editor@example.org")
    assert soup(client.get(f"/editor/articles/{article_id}")).select_one("#title")["value"] == OLD
    review = soup(client.get(f"/editor/articles/{article_id}/review"))
    # What changed since it was published, in words: the title kept its first words.
    assert " ".join(marked(review, "ins")).split() == [
        "sớm",
        "hai",
        "tháng",
        "Đoạn",
        "mới:",
        "thông",
        "xe",
        "trước",
        "Tết.",
    ]
    assert " ".join(marked(review, "del")).split() == ["Nội", "dung", "bài."]
    assert review.select_one("#published_at") is None  # live: approving publishes at once
    assert client.post(f"/editor/articles/{article_id}/review/approve").status_code == 302
    assert NEW in client.get(f"/articles/{slug}").get_data(as_text=True)


def test_review_answers_need_a_csrf_token(csrf_app, make_user):
    reporter = Writer(make_user("reporter"), "reporter")
    make_user("editor")
    with csrf_app.app_context():
        article_id = services.write_article(None, data(), reporter, "submit").id
    client = csrf_app.test_client()
    token = client.get("/comments/token").get_json()["csrf_token"]
    client.post(
        "/login", data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token}
    )
    for action in ("send-back", "approve"):
        response = client.post(
            f"/editor/articles/{article_id}/review/{action}", data={"note": "Sửa."}
        )
        assert response.status_code == 400, action
    with csrf_app.app_context():
        assert review_of(article_id).state == ReviewState.PENDING


@pytest.mark.sqlite_only("a command's arguments; the database engine plays no part")
def test_the_users_command_creates_a_reporter(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "pv@example.org",
            "--name",
            "Phóng viên Lan",
            "--role",
            "reporter",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created reporter pv@example.org" in result.output


def test_a_reporter_autosaves_their_own_articles_only(app, client, people, heard):
    with app.app_context():
        mine = services.write_article(None, data("Bài của tôi"), people["reporter"], "save").id
        other = services.write_article(None, data("Bài khác"), people["other"], "save").id
        theirs = services.save_article(None, data("Bài của biên tập viên"), people["editor"].id).id
    login(client, "reporter@example.org")
    for url in ("/editor/articles/new/autosave", f"/editor/articles/{mine}/autosave"):
        assert client.post(url, data={"body": "Đang gõ dở."}).status_code == 200, url
    for article_id in (other, theirs):  # someone else's article: not even its autosave
        for url in ("autosave", "autosave/discard"):
            answer = client.post(f"/editor/articles/{article_id}/{url}", data={"body": "x"})
            assert answer.status_code == 403, (article_id, url)
    assert client.post(f"/editor/articles/{mine}", data=form("Bài của tôi", action="submit"))
    with app.app_context():
        kept = db.session.scalars(db.select(Autosave.content_id)).all()
    assert kept == []  # submitted: nothing left to offer back (the new form's row went too)
    assert heard == [("requested", mine)]
