"""Role checks for staff URLs: anonymous -> login page, wrong role -> 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import login_manager
from ..models import Role
from .sessions import login_after_idle

EDITORS = (Role.EDITOR, Role.ADMIN)
# Open the editor desk; a reporter only for their own articles (content.review decides).
WRITERS = (Role.REPORTER, Role.EDITOR, Role.ADMIN)
MODERATORS = (Role.MODERATOR, Role.ADMIN)
ADMINS = (Role.ADMIN,)
JSON_API = "json_api"
V = TypeVar("V", bound=Callable[..., object])


def json_api(view: V) -> V:
    """Marks a view that scripts call: signed out, it answers 401 in JSON, not the login page."""
    setattr(view, JSON_API, True)
    return view


def _signed_out_json() -> Response | None:
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, JSON_API, False):
        return None
    response = jsonify(
        error=_("Your session has expired. Sign in again; what you typed is kept."),
        signed_out=True,
    )
    response.status_code = 401
    return response


def check_role(roles: tuple[Role, ...]) -> Response | None:
    """None when the current user has one of `roles`; else the login redirect, or 403."""
    if not current_user.is_authenticated:
        signed_out = _signed_out_json()
        if signed_out is not None:
            return signed_out
        if g.get("signed_out_idle") and request.method == "POST":
            return login_after_idle()
        return login_manager.unauthorized()
    if not current_user.has_role(*roles):
        abort(403)
    return None
