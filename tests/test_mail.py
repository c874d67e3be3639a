"""Email against a real SMTP server (aiosmtpd, one per module): the outbox, the sender, the
forgotten-password link, the moderators' digest, readers' opt-in notices and their caps."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select, update

from newsportal import create_app
from newsportal.articles import services as articles
from newsportal.auth import reset
from newsportal.comments import moderation, personal_data
from newsportal.comments import services as comments
from newsportal.config import UnsafeConfiguration
from newsportal.content.review import Writer
from newsportal.extensions import db
from newsportal.keys import signing_keys
from newsportal.mail import notices, outbox
from newsportal.mail import services as mail
from newsportal.models import (
    Article,
    Comment,
    ContentState,
    MailKind,
    OutboxMessage,
    SecurityEvent,
    User,
)
from newsportal.text import utcnow

from .comment_helpers import comment_data
from .conftest import PASSWORD
from .mail_helpers import free_port, smtp_server, subject_of, text_of

ORIGIN = "https://portal.example.gov.vn"
NEW_PASSWORD = "ba con mèo tam thể ngủ trưa"
READER = "mai@example.org"


@pytest.fixture(scope="module")
def smtp():
    yield from smtp_server()


@pytest.fixture
def inbox(smtp):
    box, _port = smtp
    box.messages.clear()
    return box


@pytest.fixture
def app_config(app_config, smtp):
    return {
        **app_config,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp[1],
        "MAIL_TIMEOUT": 5,
        "PUBLIC_URL": ORIGIN,
    }


def send(app):
    with app.app_context():
        return mail.send_due(100, 360)


def rows(app, **where):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(db.session.scalars(query))


def make_due(app):
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(send_after=utcnow() - timedelta(hours=1)))
        db.session.commit()


def comment(app, article, email=READER, notify=True, digest=False):
    policy = comments.Policy(secret="k", min_seconds=0, rate_limit=None, digest=digest)
    data = comments.CommentInput(
        name="Nguyễn Thị Mai",
        email=email,
        body=f"Xin hỏi về tiến độ dự án {time.monotonic_ns()}",
        ip="203.0.113.9",
        form_age=timedelta(minutes=1),
        notify=notify,
    )
    with app.app_context():
        return comments.submit_comment(db.session.merge(article), data, policy).comment.id


def approve(app, *ids, actor=None):
    with app.app_context():
        return moderation.set_status(ids, "approve", actor)


# --- the forgotten password ----------------------------------------------------------------


def reset_link(message):
    found = re.search(re.escape(ORIGIN) + r"(/login/reset/\S+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def test_forgot_password_end_to_end(app, client, make_user, inbox, runner):
    make_user("editor")
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert elsewhere.get("/editor/").status_code == 200

    assert b"/login/forgot" in client.get("/login").data
    answer = client.post("/login/forgot", data={"email": " Editor@Example.org "})
    assert answer.status_code == 302
    assert answer.location == "/login"
    assert inbox.messages == []  # the request only wrote a row
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    [message] = inbox.to("editor@example.org")
    assert message["List-Unsubscribe"] is None  # staff mail: no unsubscribe
    path = reset_link(message)

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.location == "/login"
    assert elsewhere.get("/editor/").status_code == 302  # every other session ended

    assert client.get(path).status_code == 400  # single use
    again = client.post(path, data={"password": "một mật khẩu khác hẳn nữa", "confirm": "x"})
    assert again.status_code == 400
    old = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert old.status_code == 200
    new = client.post("/login", data={"email": "editor@example.org", "password": NEW_PASSWORD})
    assert new.status_code == 302
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(SecurityEvent))]
    assert "password_reset_requested" in kinds
    assert "password_reset" in kinds


def flashes(client):
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client, make_user):
    make_user("moderator")
    known = client.post("/login/forgot", data={"email": "moderator@example.org"})
    known_flash = flashes(client)
    unknown = client.post("/login/forgot", data={"email": "nobody@example.org"})
    unknown_flash = flashes(client)
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert known_flash == unknown_flash != []
    assert [r.recipient for r in rows(app)] == ["moderator@example.org"]


@pytest.mark.sqlite_only("the throttle counts in memory, not in the database")
def test_asking_is_rate_limited_per_address_and_per_account(app, make_user):
    make_user("editor")
    one_address = app.test_client()
    answers = [
        one_address.post("/login/forgot", data={"email": f"x{i}@example.org"}).status_code
        for i in range(6)
    ]
    assert answers == [302] * 5 + [429]
    many = [
        app.test_client()
        .post(
            "/login/forgot",
            data={"email": "editor@example.org"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{i}"},
        )
        .status_code
        for i in range(6)
    ]
    assert many == [302] * 5 + [429]
    assert len(rows(app, kind=MailKind.PASSWORD_RESET)) == 5


def token(app, email="editor@example.org"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return reset.token_for(user, signing_keys(app.config))


@pytest.mark.sqlite_only("the token is checked in Python")
def test_an_old_tampered_or_deactivated_link_does_not_work(app, client, make_user, monkeypatch):
    make_user("editor")
    fresh = token(app)
    assert client.get(f"/login/reset/{fresh}").status_code == 200
    assert client.get(f"/login/reset/{fresh[:-2]}xx").status_code == 400
    made = time.time()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(made) - 3601)
    expired = token(app)
    monkeypatch.undo()
    assert client.get(f"/login/reset/{expired}").status_code == 400
    answer = client.post(
        f"/login/reset/{expired}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert answer.status_code == 400
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "editor@example.org"))
        assert user.check_password(PASSWORD)
        user.active = False
        db.session.commit()
    assert client.get(f"/login/reset/{fresh}").status_code == 400


@pytest.mark.sqlite_only("the password policy is Python")
def test_a_weak_password_is_refused_and_the_link_still_works(app, client, make_user):
    make_user("editor")
    path = f"/login/reset/{token(app)}"
    weak = client.post(path, data={"password": "matkhau12345", "confirm": "matkhau12345"})
    assert weak.status_code == 200
    assert "dễ đoán".encode() in weak.data or b"guess" in weak.data
    differ = client.post(path, data={"password": NEW_PASSWORD, "confirm": "khác"})
    assert differ.status_code == 200
    assert client.get(path).status_code == 200


# --- the outbox and its sender ---------------------------------------------------------------


def enqueue(app, n=1):
    with app.app_context():
        for i in range(n):
            outbox.enqueue(f"r{i}@example.org", f"Thư {i}", "Nội dung", "test", "k")
        db.session.commit()


def test_a_server_that_is_down_loses_nothing(app, smtp, inbox, runner):
    enqueue(app, 2)
    state = app.extensions["mailman"]
    state.port = free_port()  # nothing listens there
    started = utcnow()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    first, second = rows(app)
    assert first.attempts == 1
    assert first.last_error
    assert first.sent_at is None
    assert first.send_after >= started + timedelta(seconds=59)
    assert second.attempts == 0  # the run stopped at the unreachable server
    state.port = smtp[1]
    assert send(app).sent == 1  # the second one; the first waits for its retry
    make_due(app)
    assert send(app).sent == 1
    first = rows(app)[0]
    assert (first.attempts, first.last_error) == (2, "")
    assert first.sent_at is not None
    assert sorted(subject_of(m) for m in inbox.messages) == ["Thư 0", "Thư 1"]
    assert outbox.backoff(3, 360) == timedelta(minutes=4)
    assert outbox.backoff(20, 360) == timedelta(minutes=360)


def test_a_claimed_row_is_sent_by_one_sender_only(app, inbox):
    enqueue(app)
    [row] = rows(app)
    now = utcnow()
    with app.app_context():
        assert outbox._claim(row.id, now)
        assert not outbox._claim(row.id, now)
    assert send(app).sent == 0  # the other sender's lease is running
    with app.app_context():
        assert outbox._claim(row.id, now + outbox.LEASE + timedelta(seconds=1))  # it died


def test_two_senders_at_once_send_each_row_once(app, inbox):
    enqueue(app, 20)
    reports = []

    def sender():
        reports.append(send(app))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 20
    subjects = [subject_of(m) for m in inbox.messages]
    assert sorted(subjects) == sorted({f"Thư {i}" for i in range(20)})


@pytest.mark.sqlite_only("the backends do not depend on the database")
def test_development_prints_or_files_the_mail(app, tmp_path, capsys):
    enqueue(app)
    state = app.extensions["mailman"]
    state.backend = "console"
    assert send(app).sent == 1
    assert "Subject: =?utf-8?" in capsys.readouterr().out  # the whole message, encoded
    enqueue(app)
    state.backend, state.file_path = "file", str(tmp_path / "mail")
    assert send(app).sent == 1
    [written] = (tmp_path / "mail").iterdir()
    assert b"r0@example.org" in written.read_bytes()


@pytest.mark.sqlite_only("configuration is read before any database is opened")
@pytest.mark.parametrize(
    ("settings", "backend"),
    [({}, "console"), ({"TESTING": True}, "locmem"), ({"MAIL_BACKEND": "file"}, "file")],
)
def test_the_backend_follows_the_environment(settings, backend, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path))
    made = create_app({"SECRET_KEY": "x" * 40, "PUBLIC_URL": ORIGIN, **settings})
    assert made.config["MAIL_BACKEND"] == backend
    assert made.config["MAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert made.config["MAIL_DEFAULT_SENDER"].endswith("<no-reply@portal.example.gov.vn>")


@pytest.mark.sqlite_only("configuration is read before any database is opened")
@pytest.mark.parametrize(
    "settings", [{"MAIL_BACKEND": "sendmail"}, {"MAIL_USE_TLS": True, "MAIL_USE_SSL": True}]
)
def test_a_mail_setting_that_cannot_work_refuses_to_start(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(UnsafeConfiguration):
        create_app({"SECRET_KEY": "x" * 40, **settings})


# --- moderators and editors ------------------------------------------------------------------


def test_moderators_get_one_digest_per_interval(app, make_user, make_article, inbox):
    make_user("moderator")
    make_user("admin")
    article = make_article()
    comment(app, article, digest=True)
    comment(app, article, "lan@example.org", digest=True)
    [digest] = rows(app, kind=MailKind.MODERATION_DIGEST)
    assert digest.recipient == "moderator@example.org"  # admins only when there is no moderator
    assert f"{ORIGIN}/moderation/" in digest.body
    assert "1" in digest.subject
    with app.app_context():
        age(61)
        assert notices.moderation_digest() == 1  # the second came after the first digest
        assert notices.moderation_digest() == 0  # within the hour
        age(61)
        assert notices.moderation_digest() == 0  # nothing new since
    comment(app, article, "hoa@example.org")
    with app.app_context():
        assert notices.moderation_digest() == 1
    assert "3" in rows(app, kind=MailKind.MODERATION_DIGEST)[-1].subject


def age(minutes):
    """Everything happened `minutes` earlier: the comments and the last digest."""
    for model, column in ((Comment, "created_at"), (ContentState, "digest_at")):
        field = getattr(model, column)
        for row_id, when in db.session.execute(select(model.id, field)).all():
            values = {column: when - timedelta(minutes=minutes)}
            db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.commit()


@pytest.mark.sqlite_only("one insert per editor, as for every notice")
def test_editors_hear_of_an_article_awaiting_review(app, make_user, make_article):
    make_user("editor")
    make_user("moderator")
    article = make_article(title="Khởi công cầu Cao Lãnh mới")
    with app.app_context():
        assert notices.review_requested(article.id) == 1
        assert notices.review_requested(10**6) == 0
    [row] = rows(app)
    assert row.recipient == "editor@example.org"
    assert "Khởi công cầu Cao Lãnh mới" in row.subject
    assert f"{ORIGIN}/editor/articles/{article.id}" in row.body


@pytest.mark.sqlite_only("one insert per notice, as for every notice")
def test_each_review_step_is_mailed_to_whoever_acts_next(app, make_user):
    """Through the review services' hooks: editors hear of a submission, the writer of a
    send-back, with the editor's note and a link on PUBLIC_URL to the article's edit page."""
    reporter = Writer(make_user("reporter"), "reporter")
    editor = Writer(make_user("editor"), "editor")
    make_user("moderator")
    text = articles.ArticleData(title="Chợ nổi Cái Bè", lead="", body_md="Nội dung.", byline="")
    note = "Thêm nguồn tin & <ảnh> chợ nổi."
    with app.app_context():
        article_id = articles.write_article(None, text, reporter, "submit").id
        assert notices.sent_back(article_id) is False  # waiting, not sent back
    [asked] = rows(app, kind=MailKind.REVIEW_REQUESTED)
    assert asked.recipient == "editor@example.org"
    assert f"{ORIGIN}/editor/articles/{article_id}/review" in asked.body
    with app.app_context():
        articles.send_back(db.session.get_one(Article, article_id), note, editor)
        assert notices.sent_back(10**6) is False
    [back] = rows(app, kind=MailKind.REVIEW_SENT_BACK)
    assert (back.recipient, back.ref) == ("reporter@example.org", f"article:{article_id}")
    assert back.subject == "Tin bài được trả lại kèm ý kiến: Chợ nổi Cái Bè"
    assert note in back.body  # plain text: nothing escaped
    assert f"{ORIGIN}/editor/articles/{article_id}\n" in back.body
    with app.app_context():
        db.session.get_one(User, reporter.id).active = False
        db.session.commit()
        assert notices.sent_back(article_id) is False  # nobody left to tell
    assert len(rows(app, kind=MailKind.REVIEW_SENT_BACK)) == 1


# --- readers ---------------------------------------------------------------------------------


@pytest.mark.sqlite_only("a form field")
def test_the_box_is_unticked_and_its_choice_is_kept(app, client, make_article):
    article = make_article()
    page = client.get(f"/articles/{article.slug}").data.decode()
    box = re.search(r"<input[^>]*name=\"notify\"[^>]*>", page).group(0)
    assert "checked" not in box
    client.post(f"/articles/{article.slug}/comments", data=comment_data(app, notify="y"))
    client.post(f"/articles/{article.slug}/comments", data=comment_data(app, body="Câu thứ hai"))
    with app.app_context():
        assert list(db.session.scalars(select(Comment.notify).order_by(Comment.id))) == [
            True,
            False,
        ]


def test_an_approval_is_mailed_once_after_the_undo_window(app, make_article, inbox):
    article = make_article(title="Giá xoài tăng")
    asked, silent = comment(app, article), comment(app, article, "lan@example.org", False)
    approve(app, asked, silent)
    [row] = rows(app)
    assert (row.kind, row.recipient, row.ref) == (
        MailKind.COMMENT_APPROVED,
        READER,
        f"comment:{asked}",
    )
    assert row.send_after >= utcnow() + timedelta(minutes=9)
    assert send(app).sent == 0  # the undo window is open
    make_due(app)
    assert send(app).sent == 1
    [message] = inbox.messages
    assert message["List-Unsubscribe"].strip().startswith(f"<{ORIGIN}/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Giá xoài tăng" in text_of(message)
    with app.app_context():
        moderation.set_status([asked], "reject", None)
    approve(app, asked)
    assert len(rows(app)) == 1  # one email per comment, however often it is approved
    with app.app_context():
        moderation.reply(db.session.get(Comment, asked), None, "Cảm ơn bạn đã hỏi.")
        moderation.reply(db.session.get(Comment, silent), None, "Cảm ơn bạn.")
    assert [r.kind for r in rows(app)] == [MailKind.COMMENT_APPROVED, MailKind.COMMENT_ANSWERED]


def test_an_undone_approval_sends_nothing(app, make_article, make_user):
    article = make_article()
    first, second = comment(app, article), comment(app, article, "lan@example.org")
    moderator = make_user("moderator")
    undone = approve(app, first, actor=moderator)
    approve(app, second, actor=moderator)
    assert len(rows(app)) == 2
    with app.app_context():  # the moderator's undo button, within its window
        moderation.undo(undone.action_id, moderator, False, timedelta(minutes=10))
    assert [r.recipient for r in rows(app)] == ["lan@example.org"]


def test_one_address_gets_a_few_emails_a_day_at_most(app, make_article):
    article = make_article()
    ids = [comment(app, article) for _ in range(5)]
    approve(app, *ids)
    assert len(rows(app)) == 3
    with app.app_context():
        moderation.reply(db.session.get(Comment, ids[4]), None, "Trả lời.")
    assert len(rows(app)) == 3


def test_unsubscribing_takes_one_click_and_no_account(csrf_app, make_article):
    article_app = csrf_app
    article = make_article()  # the `app` fixture's database is csrf_app's too
    first = comment(article_app, article)
    second = comment(article_app, article)
    approve(article_app, first)
    with article_app.app_context():
        link = notices.unsubscribe_token(second)
    client = article_app.test_client()
    page = client.get(f"/mail/unsubscribe/{link}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/mail/unsubscribe/{link[:-3]}abc").status_code == 404
    assert client.post(f"/mail/unsubscribe/{link[:-3]}abc").status_code == 404
    done = client.post(f"/mail/unsubscribe/{link}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 302
    assert rows(article_app) == []  # the waiting approval notice went
    with article_app.app_context():
        assert not any(db.session.scalars(select(Comment.notify)))
    approve(article_app, second)
    assert rows(article_app) == []


def test_erasure_clears_the_outbox_and_find_shows_it(app, make_article):
    article = make_article()
    approve(app, comment(app, article))
    comment(app, article, "lan@example.org")
    with app.app_context():
        held = personal_data.find(READER, None, "k")
        assert [m.kind for m in held.mails] == [MailKind.COMMENT_APPROVED]
        assert '"emails"' in personal_data.export(READER, "json", None, "k")
        assert "comment_approved" not in personal_data.export(READER, "csv", None, "k")
        assert "waiting" in personal_data.export(READER, "csv", None, "k")
        personal_data.erase(READER, "anonymise", None, "k")
    assert rows(app) == []


@pytest.mark.sqlite_only("the loop is click and time.sleep")
def test_the_sender_runs_the_digest_and_loops(app, make_user, make_article, runner, monkeypatch):
    make_user("moderator")
    comment(app, make_article())  # written without the digest
    stops = []

    def pause(seconds):
        stops.append(seconds)
        raise SystemExit(0)  # one run is enough to see the loop go round

    monkeypatch.setattr(time, "sleep", pause)
    result = runner.invoke(args=["mail", "send", "--loop"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert stops == [30.0]
    assert rows(app)[0].kind == MailKind.MODERATION_DIGEST


def test_retention_deletes_old_rows_sent_or_not(app, runner):
    enqueue(app, 2)
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == "r0@example.org")
            .values(created_at=utcnow() - timedelta(days=31))
        )
        db.session.commit()
    result = runner.invoke(args=["comments", "purge"])
    assert "deleted 1 outbox emails older than 30 days" in result.output
    assert [r.recipient for r in rows(app)] == ["r1@example.org"]


@pytest.mark.sqlite_only("rendering what find returned")
def test_the_desk_and_the_command_line_list_a_persons_emails(app, client, auth, make_article):
    article = make_article()
    approve(app, comment(app, article))
    auth.login("admin")
    page = client.post("/admin/personal-data/", data={"email": READER}).data.decode()
    assert "Thư điện tử gửi địa chỉ này trong hộp thư đi: 1" in page
    assert "Đang chờ gửi" in page
    result = app.test_cli_runner().invoke(args=["personal-data", "find", READER])
    assert "1 emails to mai@example.org in the outbox" in result.output
