"""Bots cannot fill the disk, and the duplicate check tells nobody who wrote what."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from newsportal.comments import moderation, stamp
from newsportal.extensions import db

from .comment_helpers import comment_data, comments

FLOOD = 300
LIMIT = 5  # the default COMMENT_RATE_LIMIT, "5 per 10 minutes"


@pytest.fixture
def article(make_article):
    return make_article("Hỗ trợ người lao động", lead="Sapo.", body="Nội dung.")


def post(client, article, data, ip="127.0.0.1"):
    return client.post(
        f"/articles/{article.slug}/comments", data=data, environ_base={"REMOTE_ADDR": ip}
    )


def rows_per_table(app):
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def bot_data(app, kind, **changes):
    if kind == "honeypot":
        return comment_data(app, website="http://spam.example", **changes)
    with app.app_context():  # a form sent the moment it was issued
        return comment_data(app, ts=stamp.issue(app.config["SECRET_KEY"]), **changes)


@pytest.mark.slow
@pytest.mark.no_cover  # hundreds of sends through lines the other tests here cover
@pytest.mark.sqlite_only(
    "the rate limiter holds the flood before the database; the day's counter on PostgreSQL is "
    "test_bots_are_counted_for_the_moderators"
)
@pytest.mark.parametrize("kind", ["honeypot", "too-fast"])
def test_a_bot_flood_writes_no_rows_and_is_held_by_the_rate_limit(app, client, article, kind):
    before = rows_per_table(app)
    answers = [post(client, article, bot_data(app, kind)).status_code for _ in range(FLOOD)]
    # Answered like a person: "received" up to the limit, then "please wait" (never a 500).
    assert answers == [302] * LIMIT + [429] * (FLOOD - LIMIT)
    grown = {name: n - before[name] for name, n in rows_per_table(app).items() if n != before[name]}
    assert grown == {"comment_bot_counts": 1}  # one counter row for the day, nothing else
    # A bot that learns the honeypot is still held: its dropped posts counted towards the limit.
    learned = post(client, article, comment_data(app, body="Giờ tôi gửi như người."))
    assert learned.status_code == 429
    # A reader at another address, with another email, is not held back by the flood.
    reader = app.test_client()
    sent = post(reader, article, comment_data(app, email="dan@example.org"), ip="10.0.0.2")
    assert sent.status_code == 302
    assert [(c.email, c.status) for c in comments(app)] == [("dan@example.org", "pending")]


@pytest.mark.parametrize("kind", ["honeypot", "too-fast"])
def test_a_bot_is_told_its_comment_was_received(app, client, article, kind):
    human = app.test_client()
    person = post(human, article, comment_data(app, body="Một ý kiến thật."), ip="10.0.0.3")
    bot = post(client, article, bot_data(app, kind, body="Một ý kiến thật."))
    assert (bot.status_code, bot.headers["Location"]) == (302, person.headers["Location"])
    flash = "Bình luận của bạn đã được gửi và đang chờ duyệt."
    assert flash in client.get(bot.headers["Location"]).get_data(as_text=True)
    assert len(comments(app)) == 1  # the person's


def test_bots_are_counted_for_the_moderators(app, client, article, auth):
    app.config["RATELIMIT_ENABLED"] = False  # counted however many get through
    for n in range(7):
        post(client, article, bot_data(app, "honeypot" if n < 4 else "too-fast"))
    assert rows_per_table(app)["comments"] == 0
    auth.as_role("moderator")
    page = BeautifulSoup(client.get("/moderation/?status=spam").data, "html5lib")
    counted = page.select_one("#bot-count").get_text()
    assert "4 lượt điền vào trường ẩn" in counted
    assert "3 lượt gửi quá nhanh" in counted
    pending_tab = BeautifulSoup(client.get("/moderation/").data, "html5lib")
    assert pending_tab.select_one("#bot-count") is None


def comparable(page):
    """The page with what differs between any two sends anyway: ids, times, the form stamp."""
    page = re.sub(r"comment-\d+", "comment-N", page)
    page = re.sub(r'<input[^>]*name="ts"[^>]*>', "<ts>", page)
    page = re.sub(r'datetime="[^"]*"', "", page)
    return re.sub(r"\d\d:\d\d - \d\d/\d\d/\d{4}", "hh:mm - dd/mm/yyyy", page)


def reader_sends(app, article, email):
    """A fresh reader sends the text of Mai's comment under their own name, with `email`."""
    reader = app.test_client()
    response = post(reader, article, comment_data(app, name="Trần Văn Bình", email=email))
    page = reader.get(f"/articles/{article.slug}").get_data(as_text=True)
    with reader.session_transaction() as session:
        own = list(session.get("own_comments", []))
    return response, page, own


@pytest.mark.parametrize("approved", [False, True], ids=["pending", "approved"])
def test_a_guessed_email_learns_nothing_about_who_wrote_a_comment(app, client, article, approved):
    post(client, article, comment_data(app))  # Mai, mai@example.org
    (mai,) = comments(app)
    if approved:
        with app.app_context():
            moderation.set_status([mai.id], "approve", None)
    right, right_page, right_own = reader_sends(app, article, "mai@example.org")
    wrong, wrong_page, wrong_own = reader_sends(app, article, "binh@example.org")
    assert (right.status_code, right.headers["Location"]) == (302, wrong.headers["Location"])
    assert right.data == wrong.data
    assert "Bình luận của bạn đã được gửi và đang chờ duyệt." in right_page
    assert comparable(right_page) == comparable(wrong_page)
    assert mai.id not in right_own
    assert len(right_own) == 1  # the reader's own comment only
    shown = BeautifulSoup(right_page, "html5lib")
    names = [el.get_text() for el in shown.select(".comment-pending .comment-name")]
    assert names == ["Trần Văn Bình"]  # the reader's own, never Mai's pending one
    if not approved:
        assert "Nguyễn Thị Mai" not in right_page


def test_sending_the_same_comment_again_in_one_session_is_one_row(app, client, article):
    first = post(client, article, comment_data(app))
    again = post(client, article, comment_data(app))
    assert (first.status_code, first.data) == (again.status_code, again.data)
    assert len(comments(app)) == 1
    page = BeautifulSoup(client.get(f"/articles/{article.slug}").data, "html5lib")
    assert len(page.select(".comment-pending")) == 1
