"""The staff session: its start, its idle timeout, and the login page a timed-out form gets.

Apart from the views so that the role check (decorators) can show that page without importing
the views, which import the role check.
"""

from __future__ import annotations

import time

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from ..models import User
from .forms import LoginForm


def fresh_session() -> None:
    """Clear the session, keeping only the reader's language choice."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def begin_session(user: User) -> None:
    """Sign in, starting the idle clock (see expire_idle_staff)."""
    login_user(user)
    session["seen"] = int(time.time())
    # The CSRF token every staff form carries is made with the session: left to the first page
    # with a form, that read would write and re-sign the cookie (and a client that keeps the
    # sign-in cookie, like a script, would have it re-signed on every page).
    g.pop("csrf_token", None)  # made earlier in this request, it was the cleared session's
    generate_csrf()


def expire_idle_staff() -> Response | None:
    """before_request: a staff session unused for STAFF_IDLE_MINUTES signs out."""
    minutes = int(current_app.config["STAFF_IDLE_MINUTES"] or 0)
    if not minutes or request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    seen = session.get("seen")
    if isinstance(seen, int) and now - seen <= minutes * 60:
        if now - seen > 60:  # rewrite the cookie at most once a minute
            session["seen"] = now
        return None
    logout_user()
    fresh_session()
    flash(_("You were signed out after %(n)d minutes without activity.", n=minutes), "info")
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    g.signed_out_idle = True  # a staff POST then shows what was typed: see login_after_idle
    return None


# Fields that are not worth showing back: tokens, passwords, hidden anti-spam fields, buttons.
NOT_KEPT = frozenset({"csrf_token", "password", "ts", "website", "action", "ids", "next"})


def login_after_idle() -> Response:
    """The login page for a staff form sent after the idle timeout, with its text to copy."""
    kept = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in NOT_KEPT and value.strip()
    ]
    page = render_template(
        "auth/login.html", form=LoginForm(formdata=None), kept=kept, next_url=request.path
    )
    return make_response(page, 401)
