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
from ..keys import signing_keys
from ..models import User
from ..request_limits import public_form
from . import reset, services
from .decorators import MODERATORS, WRITERS
from .forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, account_message
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


def reset_policy() -> reset.ResetPolicy:
    config = current_app.config
    return reset.ResetPolicy(
        keys=signing_keys(config),
        minutes=int(config["PASSWORD_RESET_MINUTES"]),
        secret=config["IP_HASH_KEY"],
        rate_limit=config["PASSWORD_RESET_RATE_LIMIT"],
        limiter=ratelimits.current(),
    )


@bp.route("/login/forgot", methods=["GET", "POST"])
@public_form
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            reset.request_reset(form.email.data or "", request.remote_addr or "", reset_policy())
        except FieldError:
            form.email.errors.append(_("Too many requests. Wait a while, then try again."))
            return render_template("auth/forgot.html", form=form), 429
        # The same words whether or not the address is an account's: nobody learns who works here.
        flash(
            _(
                "If this address belongs to a staff account, an email with a link to set a new "
                "password is on its way. The link works once, for %(n)d minutes.",
                n=int(current_app.config["PASSWORD_RESET_MINUTES"]),
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
@public_form
def reset_password(token: str) -> Response:
    policy = reset_policy()
    form: ResetPasswordForm | None = ResetPasswordForm()
    status = 200
    if reset.account_for(token, policy) is None:
        form, status = None, 400
    elif form is not None and form.validate_on_submit():
        try:
            reset.reset_password(token, form.password.data or "", policy)
        except FieldError as exc:
            if exc.field != "password":
                form, status = None, 400
            else:
                form.password.errors.append(account_message(exc))
        else:
            logout_user()
            fresh_session()
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    page = render_template("auth/reset.html", form=form, forgot=ForgotPasswordForm(formdata=None))
    # The token is in this page's URL: no Referer carries it anywhere, no cache keeps the page.
    headers = {"Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store"}
    return Response(page, status, headers=headers)
