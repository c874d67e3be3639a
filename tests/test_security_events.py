"""The security event log: each event written by the real action, shown to admins, exported."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from newsportal.extensions import db
from newsportal.models import ModerationRule, SecurityEvent, User
from newsportal.text import utcnow

from .conftest import PASSWORD, get_user

NEW_PASSWORD = "một-mật-khẩu-mới-rất-dài-2026"


def events(app, kind: str | None = None) -> list[tuple[str, int | None, int | None, str]]:
    with app.app_context():
        query = db.select(SecurityEvent).order_by(SecurityEvent.id)
        rows = db.session.scalars(query).all()
        return [
            (e.kind, e.actor_id, e.account_id, e.detail) for e in rows if kind in (None, e.kind)
        ]


def sign_in(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def test_sign_in_successes_and_failures_are_recorded_without_what_was_typed(app, client, make_user):
    editor = make_user("editor")
    make_user("moderator", active=False)
    assert sign_in(client, "editor@example.org", "sai-mật-khẩu").status_code == 200
    assert sign_in(client, "nobody@example.org", "sai-mật-khẩu").status_code == 200
    assert sign_in(client, "NOBODY@example.org ", "khác").status_code == 200
    assert sign_in(client, "moderator@example.org", PASSWORD).status_code == 200
    assert sign_in(client, "editor@example.org", PASSWORD).status_code == 302
    moderator = get_user(app, "moderator@example.org").id
    wrong, unknown, unknown_again, inactive = events(app, "sign_in_failed")
    assert wrong == ("sign_in_failed", None, editor, "wrong_password")
    assert inactive == ("sign_in_failed", None, moderator, "inactive")
    assert unknown[2] is None
    assert re.fullmatch(r"unknown:[0-9a-f]{16}", unknown[3])
    assert unknown_again == unknown  # the same address typed again: one tag, nothing readable
    assert events(app, "sign_in") == [("sign_in", editor, editor, "")]
    stored = repr(events(app))
    for typed in ("nobody", "example.org", "sai-mật-khẩu", PASSWORD):
        assert typed not in stored


def test_account_changes_by_an_admin_are_recorded_with_who_did_them(app, auth):
    auth.login("admin")
    admin = get_user(app, "admin@example.org").id
    response = auth.client.post(
        "/admin/users/",
        data={
            "name": "Trần Văn Bình",
            "email": "binh@example.org",
            "role": "editor",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    binh = get_user(app, "binh@example.org").id
    client = auth.client
    assert client.post(f"/admin/users/{binh}/role", data={"role": "moderator"}).status_code == 302
    assert client.post(f"/admin/users/{binh}/role", data={"role": "moderator"}).status_code == 302
    response = client.post(f"/admin/users/{binh}/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.post(f"/admin/users/{binh}/deactivate").status_code == 302
    assert client.post(f"/admin/users/{binh}/activate").status_code == 302
    # Refused changes write nothing: a password too weak, an admin demoting themselves.
    client.post(f"/admin/users/{binh}/password", data={"password": "123"})
    client.post(f"/admin/users/{admin}/role", data={"role": "editor"})
    about_binh = [e for e in events(app) if e[2] == binh]
    assert about_binh == [
        ("account_created", admin, binh, "editor"),
        ("role_changed", admin, binh, "editor -> moderator"),  # once: the second changed nothing
        ("password_changed", admin, binh, ""),
        ("deactivated", admin, binh, ""),
        ("activated", admin, binh, ""),
    ]
    assert NEW_PASSWORD not in repr(events(app))


def test_the_command_line_records_its_changes_with_no_actor(app, runner):
    create = ["users", "create", "an@example.org", "--name", "Lê An", "--role", "editor"]
    result = runner.invoke(args=[*create, "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "set-password", "an@example.org", "--password", NEW_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    an = get_user(app, "an@example.org").id
    assert events(app) == [
        ("account_created", None, an, "editor"),
        ("password_changed", None, an, ""),
    ]


def test_rule_changes_are_recorded_without_a_blocked_address(app, auth):
    auth.login("admin")
    admin = get_user(app, "admin@example.org").id
    for kind, value in (("banned", "lừa đảo"), ("blocked_email", "spam@example.org")):
        response = auth.client.post("/moderation/rules", data={"kind": kind, "value": value})
        assert response.status_code == 302
    with app.app_context():
        ids = {r.kind: r.id for r in db.session.scalars(db.select(ModerationRule))}
    response = auth.client.post(f"/moderation/rules/{ids['blocked_email']}/delete")
    assert response.status_code == 302
    assert events(app, "rule_added") == [
        ("rule_added", admin, None, f"banned #{ids['banned']}: lừa đảo"),
        ("rule_added", admin, None, f"blocked_email #{ids['blocked_email']}"),
    ]
    assert events(app, "rule_removed") == [
        ("rule_removed", admin, None, f"blocked_email #{ids['blocked_email']}")
    ]
    assert "spam@example.org" not in repr(events(app))


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("editor", 403), ("moderator", 403)])
@pytest.mark.parametrize("url", ["/admin/", "/admin/security.csv"])
def test_only_admins_read_the_log(auth, role, status, url):
    auth.as_role(role)
    response = auth.client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_admins_see_the_log_newest_first_in_local_time(app, auth, lang):
    auth.login("admin")
    sign_in(app.test_client(), "admin@example.org", "sai-mật-khẩu")
    page = auth.client.get(f"/admin/?lang={lang}").get_data(as_text=True)
    failed, signed_in = (
        ("Đăng nhập không thành công", "Đăng nhập")
        if lang == "vi"
        else ("Sign-in failed", "Signed in")
    )
    assert page.index(failed) < page.index(f">{signed_in}<")  # the failure came last
    assert re.search(r"\d\d:\d\d - \d\d/\d\d/\d{4}", page)
    assert ("Nhật ký bảo mật" if lang == "vi" else "Security log") in page


def test_the_log_is_paginated(app, auth):
    auth.login("admin")
    with app.app_context():
        for n in range(60):
            db.session.add(SecurityEvent(kind="sign_in_failed", detail=f"unknown:{n:016x}"))
        db.session.commit()
    first = auth.client.get("/admin/").get_data(as_text=True)
    second = auth.client.get("/admin/?page=2").get_data(as_text=True)
    assert f"unknown:{59:016x}" in first
    assert f"unknown:{0:016x}" not in first
    assert f"unknown:{0:016x}" in second


def test_the_csv_holds_every_event_with_names_not_emails(app, auth):
    auth.login("admin")
    admin = get_user(app, "admin@example.org")
    with app.app_context():  # as a name an admin may have typed
        db.session.get(User, admin.id).name = '=HYPERLINK("https://evil.example")'
        db.session.commit()
    response = auth.client.get("/admin/security.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["event"] for r in rows] == ["sign_in", "account_created"]  # newest first
    assert rows[0]["account"] == '\'=HYPERLINK("https://evil.example")'
    assert rows[0]["account_id"] == str(admin.id)
    assert re.fullmatch(r"\d\d:\d\d - \d\d/\d\d/\d{4}", rows[0]["time_local"])
    assert "@" not in text


def test_the_retention_purge_deletes_old_events(app, runner):
    with app.app_context():
        db.session.add(
            SecurityEvent(
                kind="sign_in_failed", detail="old", created_at=utcnow() - timedelta(days=400)
            )
        )
        db.session.add(SecurityEvent(kind="sign_in_failed", detail="recent"))
        db.session.commit()
    result = runner.invoke(args=["comments", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 security events older than 365 days" in result.output
    assert [e[3] for e in events(app)] == ["recent"]
