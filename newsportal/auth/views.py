from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from .. import ratelimits
from ..errors import FieldError
from ..models import User
from ..request_limits import public_form
from . import services
from .decorators import MODERATORS, WRITERS
from .forms import LoginForm, account_message
from .sessions import begin_session, fresh_session

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the login page cannot be used to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _landing(user: User) -> str:
    if user.has_role(*WRITERS):
        return url_for("editor.index")
    return url_for("moderation.queue") if user.has_role(*MODERATORS) else url_for("reader.home")


def throttle() -> services.Throttle:
    config = current_app.config
    return services.Throttle(
        limiter=ratelimits.current(),  # counts in memory while Redis is down or full
        per_ip=config["LOGIN_RATE_LIMIT_IP"],
        per_pair=config["LOGIN_RATE_LIMIT_PAIR"],
        per_account=config["LOGIN_RATE_LIMIT_ACCOUNT"],
        secret=config["IP_HASH_KEY"],  # keeps counting across a SECRET_KEY rotation
        known_days=int(config["LOGIN_KNOWN_ADDRESS_DAYS"]),
    )


@bp.route("/login", methods=["GET", "POST"])
@public_form
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
        except FieldError as exc:  # throttled: no password was tried
            form.password.errors.append(account_message(exc))
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            fresh_session()  # nothing carried over from before the login
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
    fresh_session()
    flash(_("You have been signed out."), "info")
    return redirect(url_for("reader.home"))
