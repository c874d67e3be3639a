"""Accounts, login and roles."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from ..extensions import csrf, db, login_manager
from ..models import User
from . import admin, events, sessions, views


def register(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page says enough; no flash on redirect
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(events.bp)
    app.before_request(sessions.expire_idle_staff)
    app.after_request(_staff_pages_are_not_stored)


def _staff_pages_are_not_stored(response: Response) -> Response:
    """A signed-in page (desks, emails of commenters) must not stay in a shared or disk cache."""
    if (
        "Cache-Control" not in response.headers
        and request.endpoint != "static"
        and current_user.is_authenticated
    ):
        response.headers["Cache-Control"] = "private, no-store"
    return response


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    number, _, token = user_id.partition(":")
    user = db.session.get(User, int(number)) if number.isdigit() and token else None
    return user if user is not None and user.active and user.owns_session(token) else None
