"""Role checks for staff URLs: anonymous -> login page, wrong role -> 403."""

from __future__ import annotations

from flask import abort, g, request
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


def check_role(roles: tuple[Role, ...]) -> Response | None:
    """None when the current user has one of `roles`; else the login redirect, or 403."""
    if not current_user.is_authenticated:
        if g.get("signed_out_idle") and request.method == "POST":
            return login_after_idle()
        return login_manager.unauthorized()
    if not current_user.has_role(*roles):
        abort(403)
    return None
