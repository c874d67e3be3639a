"""Staff accounts: the sign-in throttle, sessions that end, idle timeout, the admin desk."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup

from newsportal.auth import services
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import User

from .conftest import PASSWORD, get_user

GOOD = "ba-con-cá-bơi-qua-sông-Tiền"


@pytest.fixture
def app_config(app_config):
    # Small limits so the tests reach them; the defaults are checked in test_the_defaults.
    return {
        **app_config,
        "LOGIN_RATE_LIMIT_IP": "4 per 15 minutes",
        "LOGIN_RATE_LIMIT_PAIR": "3 per 15 minutes",
        "LOGIN_RATE_LIMIT_ACCOUNT": "6 per 15 minutes",
    }


def sign_in(client, email, password, ip="198.51.100.7"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def error_text(response):
    return [p.get_text() for p in BeautifulSoup(response.data, "html.parser").select(".error")]


def test_the_defaults(app):
    assert app.config["LOGIN_RATE_LIMIT_PAIR"] == "3 per 15 minutes"  # the override above
    from newsportal.config import DEFAULTS

    assert DEFAULTS["LOGIN_RATE_LIMIT_PAIR"] == "5 per 15 minutes"
    assert DEFAULTS["LOGIN_RATE_LIMIT_IP"] == "20 per 15 minutes"
    assert DEFAULTS["LOGIN_RATE_LIMIT_ACCOUNT"] == "50 per hour"
    assert DEFAULTS["LOGIN_KNOWN_ADDRESS_DAYS"] == 30
    assert DEFAULTS["STAFF_IDLE_MINUTES"] == 60


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(client, make_user):
    make_user("editor")
    unknown = sign_in(client, "nobody@example.org", PASSWORD, ip="198.51.100.1")
    wrong = sign_in(client, "editor@example.org", "sai-mật-khẩu-rồi", ip="198.51.100.2")
    assert unknown.status_code == wrong.status_code == 200
    assert error_text(unknown) == error_text(wrong) == ["Thư điện tử hoặc mật khẩu không đúng."]


def test_a_strangers_guesses_lock_out_the_stranger_not_the_owner(client, make_user):
    make_user("editor")
    make_user("moderator")
    for _ in range(3):
        assert (
            sign_in(client, "editor@example.org", "đoán-thử", ip="203.0.113.5").status_code == 200
        )
    refused = sign_in(client, "EDITOR@example.org", PASSWORD, ip="203.0.113.5")
    assert refused.status_code == 429  # the right password too: this pair tries nothing more
    assert "Quá nhiều lần đăng nhập sai" in error_text(refused)[0]
    form = BeautifulSoup(refused.data, "html.parser")
    assert form.find("input", {"name": "email"})["value"] == "EDITOR@example.org"  # kept
    # The owner, from a new place, gets in while the stranger is still refused.
    assert sign_in(client, "editor@example.org", PASSWORD, ip="198.51.100.20").status_code == 302
    client.post("/logout")
    assert sign_in(client, "editor@example.org", "đoán-thử", ip="203.0.113.5").status_code == 429
    # The stranger may still sign in to an account of their own from there.
    assert sign_in(client, "moderator@example.org", PASSWORD, ip="203.0.113.5").status_code == 302


def test_a_botnet_past_the_account_ceiling_is_refused_but_known_places_get_in(app, make_user):
    make_user("editor")
    make_user("moderator")
    office = app.test_client()
    assert sign_in(office, "editor@example.org", PASSWORD, ip="192.0.2.10").status_code == 302
    office.post("/logout")
    botnet = app.test_client()
    for n in range(6):  # the ceiling: one guess from each of six addresses
        assert (
            sign_in(botnet, "editor@example.org", "đoán-thử", ip=f"203.0.113.{n}").status_code
            == 200
        )
    # Past it no new address may try, the right password included ...
    assert sign_in(botnet, "editor@example.org", "đoán-thử", ip="203.0.113.50").status_code == 429
    assert (
        sign_in(app.test_client(), "editor@example.org", PASSWORD, ip="198.51.100.30").status_code
        == 429
    )
    # ... while the editor still signs in where they signed in before, and nobody else is affected.
    assert sign_in(office, "editor@example.org", PASSWORD, ip="192.0.2.10").status_code == 302
    assert (
        sign_in(
            app.test_client(), "moderator@example.org", PASSWORD, ip="198.51.100.30"
        ).status_code
        == 302
    )


def test_a_successful_sign_in_forgives_the_owners_own_typos(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT_IP"] = "10 per 15 minutes"  # only the pair's count is forgiven
    make_user("editor")
    for _ in range(2):
        sign_in(client, "editor@example.org", "gõ-nhầm")
    assert sign_in(client, "editor@example.org", PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(2):
        assert sign_in(client, "editor@example.org", "gõ-nhầm").status_code == 200
    assert sign_in(client, "editor@example.org", PASSWORD).status_code == 302


def test_failures_from_one_address_lock_that_address_only(client, make_user):
    make_user("editor")
    for n in range(4):
        sign_in(client, f"guess{n}@example.org", "đoán-thử", ip="192.0.2.50")
    assert sign_in(client, "editor@example.org", PASSWORD, ip="192.0.2.50").status_code == 429
    assert sign_in(client, "editor@example.org", PASSWORD, ip="192.0.2.51").status_code == 302


def test_successful_sign_ins_do_not_count(client, make_user):
    make_user("editor")
    for _ in range(6):
        assert sign_in(client, "editor@example.org", PASSWORD).status_code == 302
        client.post("/logout")


def test_the_throttle_is_off_with_rate_limits(app, client, make_user):
    app.config["RATELIMIT_ENABLED"] = False
    make_user("editor")
    for _ in range(5):
        sign_in(client, "editor@example.org", "đoán-thử")
    assert sign_in(client, "editor@example.org", PASSWORD).status_code == 302


def test_the_session_cookie_is_httponly_and_lax_and_renewed_at_login(client, make_user):
    make_user("editor")
    client.get("/?lang=en")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = sign_in(client, "editor@example.org", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing carried over into the signed-in session
        assert session["lang"] == "en"  # except the language


def copy_session(app, source):
    other = app.test_client()
    other.set_cookie("session", source.get_cookie("session").value)
    return other


def test_signing_out_ends_a_copied_session_too(app, client, auth):
    auth.as_role("editor")
    stolen = copy_session(app, client)
    assert stolen.get("/editor/").status_code == 200
    client.post("/logout")
    assert stolen.get("/editor/").status_code == 302  # to the login page


def test_a_deactivated_account_is_out_at_once_and_cannot_sign_in(app, client, make_user):
    editor_id = make_user("editor")
    make_user("admin")
    editor = app.test_client()
    assert sign_in(editor, "editor@example.org", PASSWORD).status_code == 302
    assert sign_in(client, "admin@example.org", PASSWORD).status_code == 302
    response = client.post(f"/admin/users/{editor_id}/deactivate", follow_redirects=True)
    assert "đã bị vô hiệu hóa" in response.get_data(as_text=True)
    assert editor.get("/editor/").headers["Location"].startswith("/login")
    assert sign_in(editor, "editor@example.org", PASSWORD).status_code == 200
    client.post(f"/admin/users/{editor_id}/activate")
    assert sign_in(editor, "editor@example.org", PASSWORD).status_code == 302


def test_an_admin_cannot_lock_themselves_out(app, client, make_user):
    admin_id = make_user("admin")
    sign_in(client, "admin@example.org", PASSWORD)
    client.post(f"/admin/users/{admin_id}/deactivate")
    response = client.post(f"/admin/users/{admin_id}/role", data={"role": "editor"})
    assert "Bạn không thể tự bỏ vai trò quản trị" in response.get_data(as_text=True)
    user = get_user(app, "admin@example.org")
    assert (user.active, user.role) == (True, "admin")


def test_an_admin_changes_another_accounts_role(app, client, make_user):
    make_user("admin")
    editor_id = make_user("editor")
    sign_in(client, "admin@example.org", PASSWORD)
    response = client.post(f"/admin/users/{editor_id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/users/{editor_id}")
    assert get_user(app, "editor@example.org").role == "moderator"


@pytest.mark.parametrize(
    ("whom", "role", "code"),
    [("editor", "owner", "unknown_role"), (None, "moderator", "unknown_user")],
)
def test_a_role_change_for_an_unknown_role_or_account_is_refused(app, make_user, whom, role, code):
    admin_id = make_user("admin")
    user_id = make_user(whom) if whom else admin_id + 1000
    with app.app_context(), pytest.raises(FieldError) as refused:
        services.set_role(user_id, role, admin_id)
    assert refused.value.code == code
    if whom:
        assert get_user(app, f"{whom}@example.org").role == whom  # unchanged


def test_an_admin_creates_an_account_and_a_weak_password_loses_nothing(app, client, make_user):
    make_user("admin")
    sign_in(client, "admin@example.org", PASSWORD)
    data = {"name": "Lê Thị Hồng", "email": "hong@example.org", "role": "moderator"}
    weak = client.post("/admin/users/", data={**data, "password": "matkhau123456"})
    assert weak.status_code == 200
    page = BeautifulSoup(weak.data, "html.parser")
    assert page.find("input", {"name": "name"})["value"] == "Lê Thị Hồng"
    assert page.find("input", {"name": "email"})["value"] == "hong@example.org"
    assert "quá dễ đoán" in page.select_one(".error").get_text()
    assert get_user(app, "hong@example.org") is None
    done = client.post("/admin/users/", data={**data, "password": GOOD})
    assert done.status_code == 302
    assert get_user(app, "hong@example.org").role == "moderator"
    again = client.post("/admin/users/", data={**data, "password": GOOD})
    assert "đã có tài khoản" in BeautifulSoup(again.data, "html.parser").select_one(".error").text


def test_an_admin_resets_a_password_and_the_old_sessions_end(app, client, make_user):
    editor_id = make_user("editor")
    make_user("admin")
    editor = app.test_client()
    sign_in(editor, "editor@example.org", PASSWORD)
    sign_in(client, "admin@example.org", PASSWORD)
    assert (
        client.post(f"/admin/users/{editor_id}/password", data={"password": GOOD}).status_code
        == 302
    )
    assert editor.get("/editor/").status_code == 302
    assert sign_in(editor, "editor@example.org", GOOD).status_code == 302


def test_an_admin_changing_their_own_password_stays_signed_in(client, make_user):
    admin_id = make_user("admin")
    sign_in(client, "admin@example.org", PASSWORD)
    client.post(f"/admin/users/{admin_id}/password", data={"password": GOOD})
    assert client.get("/admin/users/").status_code == 200


def test_set_password_command(app, runner, make_user):
    editor_id = make_user("editor")
    weak = runner.invoke(
        args=["users", "set-password", "editor@example.org", "--password", "123456789012"]
    )
    assert weak.exit_code == 1
    assert "too easy to guess" in weak.output
    unknown = runner.invoke(args=["users", "set-password", "x@example.org", "--password", GOOD])
    assert unknown.exit_code == 1
    result = runner.invoke(args=["users", "set-password", "EDITOR@example.org", "--password", GOOD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(User, editor_id).check_password(GOOD)


def set_seen(client, seconds_ago):
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - seconds_ago


def test_an_idle_staff_session_signs_out(app, client, auth):
    auth.as_role("editor")
    app.config["STAFF_IDLE_MINUTES"] = 30
    set_seen(client, 29 * 60)
    assert client.get("/editor/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen"] < 5  # the visit counts as activity
    set_seen(client, 31 * 60)
    response = client.get("/editor/?status=draft")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/editor/?status%3Ddraft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "30 phút" in page
    assert client.get("/editor/").status_code == 302


def test_the_idle_timeout_can_be_turned_off(app, client, auth):
    auth.as_role("moderator")
    app.config["STAFF_IDLE_MINUTES"] = 0
    set_seen(client, 10 * 24 * 3600)
    assert client.get("/moderation/").status_code == 200


def test_a_staff_form_sent_after_the_idle_timeout_is_shown_back_to_copy(
    app, client, auth, make_article
):
    article = make_article("Bài đang sửa")
    auth.as_role("editor")
    app.config["STAFF_IDLE_MINUTES"] = 30
    set_seen(client, 31 * 60)
    typed = "Đoạn văn dài vừa gõ xong.\nDòng thứ hai <b>không</b> phải HTML."
    response = client.post(
        f"/editor/articles/{article.id}",
        data={"title": "Tiêu đề mới", "body": typed, "csrf_token": "x", "action": "save"},
    )
    assert response.status_code == 401
    page = BeautifulSoup(response.data, "html.parser")
    kept = {
        t.find_previous("label").get_text(): t.get_text() for t in page.select("textarea[readonly]")
    }
    assert kept == {"title": "Tiêu đề mới", "body": typed}  # escaped by Jinja, shown as text
    login = page.select_one("main form")
    assert login["action"] == f"/login?next=/editor/articles/{article.id}"
    assert "30 phút" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(type(article), article.id).title == "Bài đang sửa"  # nothing saved
    # Signing in from that page goes back to the article.
    again = client.post(login["action"], data={"email": "editor@example.org", "password": PASSWORD})
    assert again.status_code == 302
    assert again.headers["Location"] == f"/editor/articles/{article.id}"


@pytest.mark.parametrize("role", ["editor", "moderator", "admin"])
@pytest.mark.parametrize("url", ["/editor/", "/moderation/", "/admin/users/", "/"])
@pytest.mark.sqlite_only("response headers, decided in Python whatever the database")
def test_pages_for_signed_in_staff_are_never_stored(client, auth, role, url):
    auth.as_role(role)
    response = client.get(url)
    if response.status_code == 200:
        assert response.headers["Cache-Control"] == "private, no-store"
    with client.get("/static/css/site.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
