"""`flask users list | deactivate | activate`: the admin desk's account switches, from a shell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsportal.extensions import db
from newsportal.models import User

from .conftest import PASSWORD


def test_list_shows_each_account_without_its_password_hash(
    app: Flask, runner: Any, make_user: Callable[..., int]
) -> None:
    make_user("editor")
    make_user("moderator", active=False)
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header.split() == ["EMAIL", "NAME", "ROLE", "ACTIVE"]
    assert [line.split()[0] for line in lines] == ["editor@example.org", "moderator@example.org"]
    assert lines[0].split()[-2:] == ["editor", "yes"]
    assert lines[1].split()[-2:] == ["moderator", "no"]
    assert "Người editor" in lines[0]  # the display name, Vietnamese as typed
    with app.app_context():
        hashes = [user.password_hash for user in db.session.scalars(db.select(User))]
    assert hashes
    assert not any(value in result.output for value in hashes)
    assert "pbkdf2" not in result.output


def test_deactivate_signs_the_account_out_of_its_open_session(
    app: Flask, client: FlaskClient, auth: Any, runner: Any
) -> None:
    auth.as_role("editor")
    assert client.get("/editor/").status_code == 200
    result = runner.invoke(args=["users", "deactivate", "Editor@Example.org"])
    assert result.exit_code == 0, result.output
    assert "deactivated editor@example.org" in result.output
    response = client.get("/editor/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    again = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert again.status_code == 200  # cannot sign in again: the form comes back


def test_activate_lets_the_account_sign_in_again(
    app: Flask, client: FlaskClient, runner: Any, make_user: Callable[..., int]
) -> None:
    user_id = make_user("editor", active=False)
    result = runner.invoke(args=["users", "activate", "editor@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(User, user_id).active
    response = client.post("/login", data={"email": "editor@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/editor/").status_code == 200


@pytest.mark.parametrize("command", ["deactivate", "activate"])
def test_an_unknown_email_is_named_and_fails(
    app: Flask, runner: Any, make_user: Callable[..., int], command: str
) -> None:
    make_user("editor")
    result = runner.invoke(args=["users", command, "nobody@example.org"])
    assert result.exit_code == 1
    assert "no account with email nobody@example.org" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User.active))  # the other account untouched
