"""The right to correct (a person's name and email across their comments, from the desk and the
command line, audited without the address) and anonymised comments: no name stored, the label
in the reader's language, and no shared record in the moderation queue."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from newsportal import markup
from newsportal.comments import moderation, personal_data
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import Comment, ContentState, SecurityEvent
from newsportal.text import utcnow

from .comment_helpers import audits, comments
from .conftest import PASSWORD

PERSON = "an@example.org"
OTHER = "binh@example.org"
NEW_NAME = "Nguyễn Văn Ân"


def secret(app) -> str:
    return str(app.config["IP_HASH_KEY"])


@pytest.fixture
def article(make_article):
    return make_article("Lấy ý kiến về dự thảo", body="Nội dung.")


@pytest.fixture
def rows(app, article):
    """Comments written straight to the table (the pipeline has its own tests): the person's
    approved and pending ones, another reader's approved and pending ones."""
    sent = [
        (PERSON, "Nguyen Van An", "approved", "Ý kiến đã đăng"),
        (PERSON, "Nguyen Van An", "pending", "Ý kiến đang chờ"),
        (OTHER, "Trần Bình", "approved", "Ý kiến của Bình"),
        (OTHER, "Trần Bình", "pending", "Bình hỏi thêm"),
    ]
    start = utcnow() - timedelta(hours=1)
    with app.app_context():
        added = [
            Comment(
                article_id=article.id,
                name=name,
                email=email,
                body=body,
                body_html=markup.render_comment(body),
                status=status,
                created_at=start + timedelta(minutes=i),
                ip_hash="h" * 64,
                user_agent="Mozilla/5.0",
                consent_at=start,
            )
            for i, (email, name, status, body) in enumerate(sent)
        ]
        db.session.add_all(added)
        db.session.commit()
        return [c.id for c in added]


def events(app, kind: str) -> list[SecurityEvent]:
    with app.app_context():
        query = db.select(SecurityEvent).where(SecurityEvent.kind == kind)
        return list(db.session.scalars(query.order_by(SecurityEvent.id)))


def version(app) -> int:
    with app.app_context():
        return int(db.session.scalar(db.select(ContentState.version)) or 0)


def names_on_page(client, article, lang: str = "vi") -> list[str]:
    page = BeautifulSoup(client.get(f"/articles/{article.slug}?lang={lang}").data, "html5lib")
    return [n.get_text(strip=True) for n in page.select(".comment-name")]


# --- Correcting -----------------------------------------------------------------------------


def test_a_corrected_name_shows_on_the_public_page_at_once(app, client, rows, article):
    assert names_on_page(client, article) == ["Nguyen Van An", "Trần Bình"]  # now cached
    before = version(app)
    decomposed = unicodedata.normalize("NFD", f"  {NEW_NAME} ")
    with app.app_context():
        assert personal_data.correct(PERSON, "", decomposed, None, secret(app)) == 2
    assert version(app) == before  # the article's own page is re-rendered, not every page
    assert names_on_page(client, article) == [NEW_NAME, "Trần Bình"]
    stored = {c.id: c for c in comments(app)}
    assert [stored[i].name for i in rows] == [NEW_NAME, NEW_NAME, "Trần Bình", "Trần Bình"]
    assert [stored[i].email for i in rows] == [PERSON, PERSON, OTHER, OTHER]
    corrected = [a.comment_id for a in audits(app) if a.reason == personal_data.CORRECTED_REASON]
    assert sorted(corrected) == rows[:2]
    [event] = events(app, "personal_data_corrected")
    assert event.detail == f"{personal_data.tag(PERSON, secret(app))} comments=2 name=yes"
    assert "@" not in event.detail


def test_correcting_to_an_address_that_has_comments_merges_them(app, rows):
    with app.app_context():
        assert personal_data.correct(PERSON, "  BINH@Example.org ", "", None, secret(app)) == 2
        assert personal_data.find(PERSON, None, secret(app)).comments == []
        merged = personal_data.find(OTHER, None, secret(app)).comments
        assert sorted(c.id for c in merged) == sorted(rows)
        assert {c.name for c in merged} == {"Nguyen Van An", "Trần Bình"}  # names stay theirs
        queue = moderation.queue("pending", None, "", 1, 50)
        # one person now: each pending comment sees the two approved ones as their record
        assert {queue.history[i]["approved"] for i in (rows[1], rows[3])} == {2}
    [event] = events(app, "personal_data_corrected")
    assert f"to={personal_data.tag(OTHER, secret(app))}" in event.detail
    assert "name=no" in event.detail
    assert "@" not in event.detail


BAD = [
    pytest.param(PERSON, "not-an-address", "", ("new_email", "invalid"), id="not-an-address"),
    pytest.param(PERSON, "a b@example.org", "", ("new_email", "invalid"), id="space"),
    pytest.param(PERSON, "x" * 250 + "@e.vn", "", ("new_email", "length"), id="long-email"),
    pytest.param(PERSON, "", "Â" * 81, ("new_name", "length"), id="long-name"),
    pytest.param(PERSON, "", "", ("form", "nothing"), id="nothing"),
    pytest.param(PERSON, "  ", "\u200b ", ("form", "nothing"), id="only-blanks"),
    pytest.param("nobody", "", NEW_NAME, ("email", "invalid"), id="not-whose"),
]


@pytest.mark.sqlite_only("refused before any row is read, whatever the database")
@pytest.mark.parametrize(("email", "new_email", "new_name", "refusal"), BAD)
def test_a_bad_correction_changes_and_logs_nothing(app, rows, email, new_email, new_name, refusal):
    before = [(c.name, c.email) for c in comments(app)]
    with app.app_context(), pytest.raises(FieldError) as refused:
        personal_data.correct(email, new_email, new_name, None, secret(app))
    assert (refused.value.field, refused.value.code) == refusal
    assert [(c.name, c.email) for c in comments(app)] == before
    assert events(app, "personal_data_corrected") == []


@pytest.mark.sqlite_only("the form and its messages, whatever the database")
def test_the_desk_corrects_and_a_refusal_keeps_what_was_typed(app, auth, client, rows):
    auth.as_role("admin")
    found = client.post("/admin/personal-data/", data={"email": PERSON}).get_data(as_text=True)
    form = BeautifulSoup(found, "html5lib").find("form", action="/admin/personal-data/correct")
    assert {i["name"] for i in form.find_all("input")} >= {"email", "new_name", "new_email"}
    typed = {"email": PERSON, "new_name": NEW_NAME, "new_email": "khong-phai-dia-chi"}
    refused = client.post("/admin/personal-data/correct", data=typed)
    assert refused.status_code == 200
    page = BeautifulSoup(refused.data, "html5lib")
    assert page.find("input", attrs={"name": "new_name"})["value"] == NEW_NAME
    assert page.find("input", attrs={"name": "new_email"})["value"] == "khong-phai-dia-chi"
    assert "thư điện tử không đúng định dạng" in page.select_one("#new_email-error").text
    nothing = client.post("/admin/personal-data/correct", data={"email": PERSON})
    assert "hoặc cả hai" in BeautifulSoup(nothing.data, "html5lib").select_one(".error").text
    assert {c.name for c in comments(app) if c.email == PERSON} == {"Nguyen Van An"}
    done = client.post("/admin/personal-data/correct", data={**typed, "new_email": "an@moi.vn"})
    assert done.status_code == 302
    assert [(c.name, c.email) for c in comments(app)][:2] == [(NEW_NAME, "an@moi.vn")] * 2
    [event] = events(app, "personal_data_corrected")
    assert event.actor_id is not None


@pytest.mark.sqlite_only("the CSRF check, whatever the database")
def test_the_desk_correction_needs_a_csrf_token(csrf_app, make_user, article):
    make_user("admin")
    client = csrf_app.test_client()
    token = client.get("/comments/token").get_json()["csrf_token"]
    signed_in = client.post(
        "/login", data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    data = {"email": PERSON, "new_name": NEW_NAME}
    assert client.post("/admin/personal-data/correct", data=data).status_code == 400
    assert events(csrf_app, "personal_data_corrected") == []


@pytest.mark.sqlite_only("the command's options and messages, whatever the database")
def test_the_command_line_corrects(app, runner, rows):
    args = ["personal-data", "correct", "--email", PERSON]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1
    assert "give --new-email, --new-name or both" in refused.output
    bad = runner.invoke(args=[*args, "--new-email", "not-an-address"])
    assert bad.exit_code == 1
    assert "new_email: not an email address" in bad.output
    done = runner.invoke(args=[*args, "--new-email", "an@moi.vn", "--new-name", NEW_NAME])
    assert done.exit_code == 0, done.output
    assert "corrected: 2 comments" in done.output
    assert [(c.name, c.email) for c in comments(app)][:2] == [(NEW_NAME, "an@moi.vn")] * 2
    [event] = events(app, "personal_data_corrected")
    assert event.actor_id is None
    assert "@" not in event.detail


# --- Anonymised comments --------------------------------------------------------------------


def test_anonymised_pending_comments_are_each_their_own_in_the_queue(app, auth, client, rows):
    """Two people erased: their pending comments share the emptied email, not a record."""
    with app.app_context():
        personal_data.erase(PERSON, "anonymise", None, secret(app))
        personal_data.erase(OTHER, "anonymise", None, secret(app))
        queue = moderation.queue("pending", None, "", 1, 50)
        assert [c.id for c in queue.items] == [rows[1], rows[3]]
        assert [c.name for c in queue.items] == [None, None]
        for comment_id in (rows[1], rows[3]):
            assert queue.history[comment_id] == {"approved": 0, "rejected": 0, "spam": 0}
    auth.as_role("moderator")
    page = BeautifulSoup(client.get("/moderation/?lang=vi").data, "html5lib")
    items = page.select(".queue-item")
    assert len(items) == 2
    for item in items:
        assert "Ẩn danh" in item.text
        assert "Trước đây" not in item.select_one(".history").text
        assert "&lt;&gt;" not in str(item)


def test_an_anonymised_comment_is_not_counted_in_a_real_commenter_record(app, rows):
    with app.app_context():
        personal_data.erase(PERSON, "anonymise", None, secret(app))
        queue = moderation.queue("pending", None, "", 1, 50)
        assert queue.history[rows[3]] == {"approved": 1, "rejected": 0, "spam": 0}  # Bình's own
