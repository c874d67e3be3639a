from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
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
from werkzeug.wrappers import Response

from .. import ratelimits
from ..models import User
from . import services
from .decorators import EDITORS, MODERATORS
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the login page cannot be used to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _landing(user: User) -> str:
    if user.has_role(*EDITORS):
        return url_for("editor.index")
    return url_for("moderation.queue") if user.has_role(*MODERATORS) else url_for("reader.home")


def _fresh_session() -> None:
    """Clear the session, keeping only the reader's language choice."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def begin_session(user: User) -> None:
    """Sign in, starting the idle clock (see expire_idle_staff)."""
    login_user(user)
    session["seen"] = int(time.time())


def throttle() -> services.Throttle:
    config = current_app.config
    return services.Throttle(
        limiter=ratelimits.current(),  # counts in memory while Redis is down or full
        per_ip=config["LOGIN_RATE_LIMIT_IP"],
        per_pair=config["LOGIN_RATE_LIMIT_PAIR"],
        per_account=config["LOGIN_RATE_LIMIT_ACCOUNT"],
        secret=config["SECRET_KEY"],
        known_days=int(config["LOGIN_KNOWN_ADDRESS_DAYS"]),
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or _landing(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            user = services.sign_in(
                email, form.password.data or "", request.remote_addr or "", throttle()
            )
        except services.Throttled:
            form.password.errors.append(
                _("Too many failed sign-ins. Wait a few minutes, then try again.")
            )
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            _fresh_session()  # nothing carried over from before the login
            begin_session(user)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")) or _landing(user))
        # One message whether the account exists or not, so the form tells nobody who works here.
        form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        services.end_sessions(current_user.id)  # a copy of the cookie kept elsewhere ends too
    logout_user()
    _fresh_session()
    flash(_("You have been signed out."), "info")
    return redirect(url_for("reader.home"))


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
    _fresh_session()
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
