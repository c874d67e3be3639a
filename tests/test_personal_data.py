"""A person's data by email: find, export (JSON, CSV) and erase, from the admin desk and the
command line, each audited without the address; retention running by itself after writes; the
comment rate limit's Redis keys holding no address."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import uuid
from datetime import timedelta

import pytest
import redis
from bs4 import BeautifulSoup

from newsportal import create_app, ratelimits
from newsportal.comments import moderation, personal_data, retention, services
from newsportal.config import UnsafeConfiguration
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import Comment, CommentAudit, ContentState, SecurityEvent
from newsportal.text import utcnow

from .comment_helpers import audits, comment_data, comments
from .conftest import PASSWORD

PERSON = "an@example.org"
OTHER = "binh@example.org"
FORMULA_NAME = "=1+2 Nguyễn An"


@pytest.fixture
def article(make_article):
    return make_article("Lấy ý kiến về dự thảo", body="Nội dung.")


@pytest.fixture
def held(app, article):
    """The person's comments in every status (one with a formula for a name), and another's."""
    app.config["RATELIMIT_ENABLED"] = False  # six comments from one address in a minute
    reader = app.test_client()
    sent = [
        (PERSON, "Nguyễn Văn An", "Ý kiến thứ nhất"),
        (PERSON, FORMULA_NAME, "Ý kiến thứ hai"),
        (PERSON, "Nguyễn Văn An", "Ý kiến thứ ba"),
        (PERSON, "Nguyễn Văn An", "Ý kiến thứ tư"),
        (OTHER, "Trần Bình", "Ý kiến của Bình"),
    ]
    for email, name, body in sent:
        data = comment_data(app, email=email, name=name, body=body)
        response = reader.post(f"/articles/{article.slug}/comments", data=data)
        assert response.status_code == 302
    ids = [c.id for c in comments(app)]
    with app.app_context():
        moderation.set_status([ids[0]], "approve", None)
        moderation.set_status([ids[1]], "reject", None, "Lạc đề")
        moderation.set_status([ids[2]], "spam", None)
    return ids


def security_events(app) -> list[SecurityEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(SecurityEvent).order_by(SecurityEvent.id)))


def secret(app) -> str:
    return str(app.config["IP_HASH_KEY"])


def test_find_returns_every_status_and_the_audit_rows_and_logs_no_address(app, held):
    with app.app_context():
        found = personal_data.find("  AN@Example.org ", None, secret(app))
        assert found.email == PERSON
        assert [c.id for c in found.comments] == held[:4]
        assert {c.status for c in found.comments} == {"approved", "rejected", "spam", "pending"}
        assert [a.to_status for a in found.audits[held[1]]] == ["pending", "rejected"]
    event = security_events(app)[-1]
    assert event.kind == "personal_data_found"
    assert "comments=4" in event.detail
    assert "@" not in event.detail
    assert personal_data.tag(PERSON, secret(app)) in event.detail


@pytest.mark.parametrize(
    "typed", ["", "   ", "not-an-address", "a b@example.org", "x" * 250 + "@e.vn"]
)
def test_what_cannot_be_an_address_is_refused_and_nothing_logged(app, held, typed):
    before = len(security_events(app))
    with app.app_context(), pytest.raises(FieldError) as refused:
        personal_data.find(typed, None, secret(app))
    assert (refused.value.field, refused.value.code) == ("email", "invalid")
    assert len(security_events(app)) == before


def test_the_json_export_holds_every_comment_with_its_history(app, held):
    with app.app_context():
        text = personal_data.export(PERSON, "json", None, secret(app))
    data = json.loads(text)
    assert data["email"] == PERSON
    assert [c["id"] for c in data["comments"]] == held[:4]
    second = data["comments"][1]
    assert second["name"] == FORMULA_NAME  # JSON is data: nothing to guard
    assert second["body"] == "Ý kiến thứ hai"
    assert second["article"]["title"] == "Lấy ý kiến về dự thảo"
    assert second["consent_at"]
    assert [(a["from"], a["to"], a["reason"]) for a in second["audit"]] == [
        ("", "pending", ""),
        ("pending", "rejected", "Lạc đề"),
    ]
    assert OTHER not in text
    assert "Bình" not in text
    assert security_events(app)[-1].kind == "personal_data_exported"
    assert "@" not in security_events(app)[-1].detail


def test_the_csv_export_opens_as_text_in_a_spreadsheet(app, held):
    with app.app_context():
        text = personal_data.export(PERSON, "csv", None, secret(app))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["comment_id"] for r in rows if r["record"] == "comment"] == [str(i) for i in held[:4]]
    names = {r["name"] for r in rows if r["record"] == "comment"}
    assert "'" + FORMULA_NAME in names
    assert FORMULA_NAME not in names
    audit_rows = [r for r in rows if r["record"] == "audit" and r["comment_id"] == str(held[1])]
    assert [r["status"] for r in audit_rows] == ["new->pending", "pending->rejected"]
    assert OTHER not in text


def test_an_unknown_format_is_refused(app, held):
    with app.app_context(), pytest.raises(FieldError):
        personal_data.export(PERSON, "xml", None, secret(app))


def test_anonymising_keeps_the_text_and_history_without_the_person(app, held, article):
    with app.app_context():
        assert personal_data.erase(PERSON, "anonymise", None, secret(app)) == 4
    rows = {c.id: c for c in comments(app)}
    for comment_id in held[:4]:
        row = rows[comment_id]
        assert (row.name, row.email, row.ip_hash, row.user_agent, row.consent_at) == (
            None,  # no words stored: the page says it in the reader's language
            "",
            "",
            "",
            None,
        )
    assert rows[held[0]].body == "Ý kiến thứ nhất"
    assert rows[held[4]].email == OTHER
    erased = [a for a in audits(app) if a.reason == personal_data.ERASED_REASON]
    assert sorted(a.comment_id for a in erased) == held[:4]
    reader = app.test_client()
    for lang, label in (("vi", "Ẩn danh"), ("en", "Anonymous")):
        page = BeautifulSoup(reader.get(f"/articles/{article.slug}?lang={lang}").data, "html5lib")
        assert "Nguyễn Văn An" not in page.text
        assert [n.get_text(strip=True) for n in page.select(".comment-name")] == [label]
    event = security_events(app)[-1]
    assert event.kind == "personal_data_erased"
    assert "mode=anonymise" in event.detail
    assert "comments=4" in event.detail
    assert "@" not in event.detail
    with app.app_context():
        assert personal_data.find(PERSON, None, secret(app)).comments == []


def test_deleting_removes_the_comments_their_replies_and_history(app, held, article):
    with app.app_context():
        comment = db.session.get(Comment, held[0])
        moderation.reply(comment, None, "Ban Biên tập trả lời bạn đọc")
        assert personal_data.erase(PERSON, "delete", None, secret(app)) == 4
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(CommentAudit)
                .where(CommentAudit.comment_id.in_(held[:4]))
            )
            == 0
        )
    assert [c.id for c in comments(app)] == [held[4]]
    page = app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Ý kiến thứ nhất" not in page
    assert "Ban Biên tập trả lời" not in page
    event = security_events(app)[-1]
    assert "mode=delete" in event.detail
    assert "@" not in event.detail


@pytest.mark.sqlite_only("a setting read at start-up, whatever the database")
def test_an_unknown_erasure_mode_stops_the_app_at_start(app_config):
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_ERASURE_MODE"):
        create_app({**app_config, "ERASURE_MODE": "shred"})


def test_an_unknown_mode_erases_nothing(app, held):
    with app.app_context(), pytest.raises(FieldError):
        personal_data.erase(PERSON, "shred", None, secret(app))
    assert len(comments(app)) == 5


# --- The desk -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/admin/personal-data/"),
        ("POST", "/admin/personal-data/"),
        ("POST", "/admin/personal-data/export/json"),
        ("POST", "/admin/personal-data/export/csv"),
        ("POST", "/admin/personal-data/erase"),
    ],
)
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("editor", 403), ("moderator", 403)])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_the_desk_is_for_admins_only(app, auth, client, held, method, url, role, expected):
    auth.as_role(role)
    data = {"email": PERSON, "confirm": PERSON}
    response = client.open(url, method=method, data=data)
    assert response.status_code == expected
    if role is None:
        assert "/login" in response.headers["Location"]
    assert len(comments(app)) == 5
    assert not [e for e in security_events(app) if e.kind.startswith("personal_data")]


def test_an_admin_finds_and_exports_from_the_desk(app, auth, client, held):
    auth.as_role("admin")
    page = client.post("/admin/personal-data/", data={"email": PERSON}).get_data(as_text=True)
    assert "Ý kiến thứ tư" in page
    assert "Ý kiến của Bình" not in page
    response = client.post("/admin/personal-data/export/csv", data={"email": PERSON})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "'" + FORMULA_NAME in response.get_data(as_text=True)
    response = client.post("/admin/personal-data/export/json", data={"email": PERSON})
    assert len(response.get_json()["comments"]) == 4
    kinds = [e.kind for e in security_events(app) if e.kind.startswith("personal_data")]
    assert kinds == ["personal_data_found", "personal_data_exported", "personal_data_exported"]


def test_the_desk_erases_only_after_the_address_is_confirmed(app, auth, client, held):
    auth.as_role("admin")
    first = client.post("/admin/personal-data/erase", data={"email": PERSON})
    assert first.status_code == 200
    assert 'name="confirm"' in first.get_data(as_text=True)
    wrong = client.post("/admin/personal-data/erase", data={"email": PERSON, "confirm": OTHER})
    assert wrong.status_code == 200
    assert len([c for c in comments(app) if c.email == PERSON]) == 4
    done = client.post("/admin/personal-data/erase", data={"email": PERSON, "confirm": PERSON})
    assert done.status_code == 302
    assert [c.email for c in comments(app)] == ["", "", "", "", OTHER]  # ERASURE_MODE default


def test_the_desk_follows_the_erasure_mode_setting(app, auth, client, held):
    app.config["ERASURE_MODE"] = "delete"
    auth.as_role("admin")
    client.post("/admin/personal-data/erase", data={"email": PERSON, "confirm": PERSON})
    assert [c.email for c in comments(app)] == [OTHER]


def test_the_desk_erase_needs_a_csrf_token(csrf_app, make_user, held):
    make_user("admin")
    client = csrf_app.test_client()
    token = client.get("/comments/token").get_json()["csrf_token"]
    signed_in = client.post(
        "/login", data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    response = client.post("/admin/personal-data/erase", data={"email": PERSON, "confirm": PERSON})
    assert response.status_code == 400
    assert len([c for c in comments(csrf_app) if c.email == PERSON]) == 4


# --- The command line -----------------------------------------------------------------------


def test_the_command_line_finds_exports_and_erases(app, runner, held, tmp_path):
    found = runner.invoke(args=["personal-data", "find", PERSON])
    assert found.exit_code == 0, found.output
    assert "4 comments" in found.output
    assert "Bình" not in found.output
    out = tmp_path / "copy.csv"
    exported = runner.invoke(
        args=["personal-data", "export", PERSON, "--format", "csv", "--output", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert out.read_text(encoding="utf-8").startswith("\ufeff")
    as_json = runner.invoke(args=["personal-data", "export", PERSON, "--format", "json"])
    assert len(json.loads(as_json.output)["comments"]) == 4
    refused = runner.invoke(args=["personal-data", "erase", PERSON])
    assert refused.exit_code == 1
    assert len([c for c in comments(app) if c.email == PERSON]) == 4
    erased = runner.invoke(args=["personal-data", "erase", PERSON, "--yes", "--mode", "delete"])
    assert erased.exit_code == 0, erased.output
    assert [c.email for c in comments(app)] == [OTHER]
    kinds = [e.kind for e in security_events(app) if e.kind.startswith("personal_data")]
    assert kinds == [
        "personal_data_found",
        "personal_data_exported",
        "personal_data_exported",
        "personal_data_erased",
    ]
    assert all("@" not in e.detail and e.actor_id is None for e in security_events(app))


def test_the_command_line_refuses_a_non_address(runner, held):
    result = runner.invoke(args=["personal-data", "find", "nobody"])
    assert result.exit_code == 1
    assert "not an email address" in result.output


# --- Retention by itself --------------------------------------------------------------------


def _age_all(app, days: int) -> None:
    with app.app_context():
        for row in db.session.scalars(db.select(Comment)):
            row.created_at = row.created_at - timedelta(days=days)
        db.session.commit()


def _last_run(app):
    with app.app_context():
        return db.session.scalar(db.select(ContentState.retention_run_at))


def _post(app, article, body: str) -> None:
    data = comment_data(app, email="moi@example.org", body=body)
    assert (
        app.test_client().post(f"/articles/{article.slug}/comments", data=data).status_code == 302
    )


def test_a_comment_write_after_the_hour_runs_retention_once(app, held, article):
    _age_all(app, 45)
    with app.app_context():  # the fixture's own writes claimed this hour: make it old
        db.session.execute(
            db.update(ContentState).values(retention_run_at=utcnow() - timedelta(hours=2))
        )
        db.session.commit()
    app.test_client().get(f"/articles/{article.slug}")  # a page view never runs it
    assert len(comments(app)) == 5
    _post(app, article, "Ý kiến mới sau một giờ")
    left = comments(app)
    assert {c.status for c in left} == {"approved", "pending"}  # spam and rejected went
    assert all(c.user_agent == "" for c in left if c.body != "Ý kiến mới sau một giờ")
    ran_at = _last_run(app)
    # A second write within the hour does nothing: an old spam comment stays until next hour.
    with app.app_context():
        moderation.set_status([left[0].id], "spam", None)
    _age_all(app, 45)
    _post(app, article, "Ý kiến thứ hai trong giờ")
    assert _last_run(app) == ran_at
    assert "spam" in {c.status for c in comments(app)}


def test_each_automatic_run_is_bounded(app, held):
    _age_all(app, 45)
    with app.app_context():
        report = retention.maybe_run(retention.Periods(batch=1), utcnow() + timedelta(hours=2))
        assert report is not None
        assert report.comments == 1
        assert (
            retention.maybe_run(retention.Periods(batch=1), utcnow() + timedelta(hours=2)) is None
        )


def test_the_command_clears_old_user_agents_and_keeps_recent_ones(app, runner, held):
    _age_all(app, 45)
    with app.app_context():
        recent = db.session.get(Comment, held[4])
        recent.created_at = utcnow()
        db.session.commit()
    result = runner.invoke(args=["comments", "purge"])
    assert result.exit_code == 0, result.output
    assert "cleared the User-Agent of" in result.output
    agents = {c.id: c.user_agent for c in comments(app)}
    assert agents[held[0]] == ""
    assert agents[held[4]] != ""


# --- Rate-limit keys ------------------------------------------------------------------------


def _redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.sqlite_only("the keys are in Redis, whatever the database")
def test_comment_rate_limit_keys_hold_no_address(app, article):
    if not _redis_answers():
        if os.environ.get("NEWSPORTAL_TEST_REQUIRE_REDIS"):
            pytest.fail("no Redis server answers on 127.0.0.1:6379")
        pytest.skip("no Redis server answers on 127.0.0.1:6379")
    prefix = f"privacytest{uuid.uuid4().hex}"
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"key_prefix": prefix}
    ratelimits.register(app)  # the limiter again, now over Redis
    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    try:
        _post(app, article, "Ý kiến qua Redis")
        keys = [k.decode() for k in client.scan_iter(f"{prefix}*")]
        assert keys, "the comment was counted in Redis"
        assert not [k for k in keys if "@" in k or "moi" in k]
        assert any(services.email_hash("moi@example.org", secret(app)) in k for k in keys)
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()
