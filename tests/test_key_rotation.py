"""Rotating SECRET_KEY: staff stay signed in, open forms still send, blocked addresses stay blocked.

Each test runs two apps on one database, the site before the rotation (the `app` fixture, signed
with OLD) and after it (NEW, with OLD among the fallbacks): what the first one signed is sent to
the second, as a browser would after a restart with the new settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsportal import create_app
from newsportal.comments import moderation, stamp
from newsportal.config import UnsafeConfiguration
from newsportal.extensions import db
from newsportal.keys import signing_keys

from .comment_helpers import comment_data, comments
from .conftest import PASSWORD

NEW = "the-new-secret-key-after-the-rotation-0123456789"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BLOCKED = "203.0.113.7"


@pytest.fixture
def rotated(app: Flask, app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """The same site restarted with other key settings, on the same database."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        made.append(create_app({**app_config, **settings}))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def carry_session(source: FlaskClient, target: FlaskClient) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def old_key(app: Flask) -> str:
    return str(app.config["SECRET_KEY"])


@pytest.mark.parametrize("fallback", [True, False])
def test_a_session_signed_with_the_old_key_still_signs_in(
    app: Flask, client: FlaskClient, auth: Any, rotated: Callable[..., Flask], fallback: bool
) -> None:
    assert auth.login("editor").status_code == 302
    after = rotated(
        SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=old_key(app) if fallback else ""
    ).test_client()
    carry_session(client, after)
    response = after.get("/editor/")
    # Without the fallback the cookie is just unsigned noise: the login page, as before.
    assert response.status_code == (200 if fallback else 302)


@pytest.mark.parametrize("csrf_key", ["fallbacks", "new-only"])
def test_a_form_opened_before_the_rotation_still_sends(
    app_config: dict[str, Any],
    make_user: Callable[..., int],
    rotated: Callable[..., Flask],
    csrf_key: str,
) -> None:
    before = rotated(WTF_CSRF_ENABLED=True).test_client()
    make_user("editor")
    page = before.get("/login").get_data(as_text=True)
    data = {"email": "editor@example.org", "password": PASSWORD, "csrf_token": _token(page)}
    assert before.post("/login", data=data).status_code == 302
    open_form = _token(before.get("/editor/").get_data(as_text=True))

    settings: dict[str, Any] = {
        "WTF_CSRF_ENABLED": True,
        "SECRET_KEY": NEW,
        "SECRET_KEY_FALLBACKS": app_config["SECRET_KEY"],
    }
    if csrf_key == "new-only":  # what Flask-WTF does by itself: its token is signed anew only
        settings["WTF_CSRF_SECRET_KEY"] = NEW
    after = rotated(**settings).test_client()
    carry_session(before, after)
    response = after.post("/logout", data={"csrf_token": open_form})
    assert response.status_code == (302 if csrf_key == "fallbacks" else 400)


def _token(page: str) -> str:
    match = TOKEN.search(page)
    assert match is not None
    return match.group(1)


@pytest.mark.sqlite_only("signing a timestamp involves no database")
@pytest.mark.parametrize(("keys", "valid"), [([], False), (["OLD"], True)])
def test_a_comment_form_stamped_with_the_old_key_is_not_taken_for_expired(
    app: Flask, keys: list[str], valid: bool
) -> None:
    issued = stamp.issue("OLD", head_start=60)
    config = {"SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": keys}
    assert (stamp.age(signing_keys(config), issued, 3600) is not None) is valid
    assert stamp.age(NEW, stamp.issue(signing_keys(config)), 3600) is not None  # NEW signs


@pytest.mark.parametrize(("ip_hash_key", "blocked"), [("old", True), (None, False)])
def test_a_blocked_address_stays_blocked_when_the_address_key_is_kept(
    app: Flask,
    make_article: Callable[..., Any],
    rotated: Callable[..., Flask],
    ip_hash_key: str | None,
    blocked: bool,
) -> None:
    article = make_article()
    with app.app_context():
        moderation.add_rule("blocked_ip", BLOCKED, None, app.config["IP_HASH_KEY"])
    settings: dict[str, Any] = {"SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": old_key(app)}
    if ip_hash_key == "old":
        settings["IP_HASH_KEY"] = old_key(app)
    after = rotated(**settings)
    response = after.test_client().post(
        f"/articles/{article.slug}/comments",
        data=comment_data(after),
        environ_base={"REMOTE_ADDR": BLOCKED},
    )
    assert response.status_code == 302
    (comment,) = comments(after)
    # Without IP_HASH_KEY the rotation quietly changed every address hash: the rule matches none.
    assert (comment.status == "spam" and "blocked" in comment.flags) is blocked


@pytest.mark.sqlite_only("reads settings only")
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("old-one, old-two", ["old-one", "old-two"]),
        ('["old-one","old-two"]', ["old-one", "old-two"]),
        ("old-one", ["old-one"]),  # one key, never its characters
        ("", []),
    ],
)
def test_fallbacks_come_from_the_environment_as_a_list(
    app: Flask, monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv("NEWSPORTAL_SECRET_KEY_FALLBACKS", value)
    config = create_app({"SECRET_KEY": NEW}).config
    assert config["SECRET_KEY_FALLBACKS"] == expected
    assert config["IP_HASH_KEY"] == NEW  # defaults to the key that hashed addresses until now
    assert signing_keys(config)[-1] == NEW  # the current key signs


@pytest.mark.sqlite_only("reads settings only")
@pytest.mark.parametrize("setting", ["SECRET_KEY_FALLBACKS", "IP_HASH_KEY"])
def test_production_refuses_a_short_extra_key(app: Flask, setting: str) -> None:
    config = {"ENV": "production", "SECRET_KEY": NEW, "PUBLIC_URL": "https://a.example.vn"}
    with pytest.raises(UnsafeConfiguration, match=setting):
        create_app({**config, setting: "short"})
