"""Accounts, login and roles."""

from __future__ import annotations

from flask import Flask

from ..extensions import csrf, login_manager
from ..models import User


def register(app: Flask) -> None:
    from . import admin, views

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page says enough; no flash on redirect
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.before_request(views.expire_idle_staff)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    from ..extensions import db

    number, _, token = user_id.partition(":")
    user = db.session.get(User, int(number)) if number.isdigit() and token else None
    return user if user is not None and user.active and user.owns_session(token) else None
