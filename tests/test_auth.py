"""Accounts: login, logout, roles, the users CLI."""

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from newsportal.auth import services as auth_services
from newsportal.config import DEFAULTS
from newsportal.extensions import db
from newsportal.models import User

from .conftest import PASSWORD, get_user

STRONG = "ba-con-cá-bơi-qua-sông-Tiền"


def test_login_with_right_password_lands_editor_on_desk(client, make_user):
    make_user("editor")
    response = client.post("/login", data={"email": "Editor@Example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/"


def test_moderator_lands_on_the_moderation_queue(client, make_user):
    make_user("moderator")
    response = client.post("/login", data={"email": "moderator@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/moderation/"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("editor@example.org", "sai-mat-khau-roi"),
        ("nobody@example.org", PASSWORD),
        ("", ""),
        ("editor@example.org", ""),
    ],
)
def test_bad_login_gets_one_generic_message_and_keeps_the_email(client, make_user, email, password):
    make_user("editor")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if email and password:
        assert "Thư điện tử hoặc mật khẩu không đúng." in text
    assert f'value="{email}"' in text if email else True
    assert client.get("/editor/").status_code == 302


def test_inactive_user_cannot_sign_in(client, make_user):
    make_user("editor", active=False)
    client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert client.get("/editor/").status_code == 302


def test_deactivated_user_session_stops_working(app, auth, client):
    auth.as_role("editor")
    assert client.get("/editor/").status_code == 200
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "editor@example.org"))
        user.active = False
        db.session.commit()
    assert client.get("/editor/").status_code == 302


def test_logout_is_post_only_and_ends_the_session(auth, client):
    auth.as_role("editor")
    assert client.get("/logout").status_code == 405
    assert client.get("/editor/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/editor/").status_code == 302


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/editor/articles/new", "/editor/articles/new"),
        ("https://evil.example/", "/editor/"),
        ("//evil.example/", "/editor/"),
        ("/\\evil.example", "/editor/"),
    ],
)
def test_login_only_returns_to_same_site_pages(client, make_user, target, landing):
    make_user("editor")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "editor@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == landing


@pytest.mark.parametrize("password_hash_method", ["scrypt"])  # the site's own, not the suite's
def test_passwords_are_scrypt_hashes(app, client, make_user):
    make_user("admin")
    user = get_user(app, "admin@example.org")
    assert user.password_hash.startswith("scrypt:")
    assert check_password_hash(user.password_hash, PASSWORD)
    response = client.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_the_site_hashes_with_scrypt_unless_told_otherwise():
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"


@pytest.mark.parametrize("password_hash_method", ["scrypt", "pbkdf2:sha256:1"])
def test_an_unknown_email_costs_a_hash_of_the_same_method(
    app, client, monkeypatch, password_hash_method
):
    """Timing: a wrong email checks a dummy hash made like the real ones, never a cheaper one."""
    checked: list[str] = []
    real = auth_services.check_password_hash

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(auth_services, "check_password_hash", spy)
    client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    method_and_parameters = generate_password_hash("x", method=password_hash_method).split("$")[0]
    assert [stored.split("$")[0] for stored in checked] == [method_and_parameters]


def test_users_create_command(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bien.tap@example.org",
            "--name",
            "Trần Thị Bích",
            "--role",
            "editor",
            "--password",
            "một-mật-khẩu-dài",
        ]
    )
    assert result.exit_code == 0, result.output
    user = get_user(app, "bien.tap@example.org")
    assert (user.name, user.role, user.active) == ("Trần Thị Bích", "editor", True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["not-an-email", "--name", "A", "--role", "editor", "--password", STRONG],
            "not a valid email",
        ),
        (
            ["a@example.org", "--name", "A", "--role", "editor", "--password", "short"],
            "12 characters",
        ),
        (
            ["a@example.org", "--name", "A", "--role", "editor", "--password", "password1234"],
            "too easy to guess",
        ),
        (
            ["a@example.org", "--name", "A", "--role", "editor", "--password", "x" * 12],
            "too easy to guess",
        ),
        (
            ["a@example.org", "--name", "A", "--role", "boss", "--password", STRONG],
            "Invalid value",
        ),
        (["a@example.org", "--name", " ", "--role", "editor", "--password", STRONG], "name"),
    ],
)
def test_users_create_refuses_bad_input(app, runner, args, message):
    result = runner.invoke(args=["users", "create", *args])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_users_create_refuses_a_duplicate(app, runner, make_user):
    make_user("editor")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "EDITOR@example.org",
            "--name",
            "B",
            "--role",
            "admin",
            "--password",
            STRONG,
        ]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_users_create_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "p@example.org", "--name", "P", "--role", "moderator"],
        input="mat-khau-du-dai-12\nmat-khau-du-dai-12\n",
    )
    assert result.exit_code == 0, result.output
    assert get_user(app, "p@example.org").check_password("mat-khau-du-dai-12")
