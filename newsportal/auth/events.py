"""/admin/: the security event log, newest first, and its CSV export; administrators only."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse

from .. import request_limits, security_log
from ..models import SecurityEventKind
from .decorators import ADMINS, check_role

bp = Blueprint("security", __name__, url_prefix="/admin")
PER_PAGE = 50

KIND_LABELS = {
    SecurityEventKind.SIGN_IN: _l("Signed in"),
    SecurityEventKind.SIGN_IN_FAILED: _l("Sign-in failed"),
    SecurityEventKind.ACCOUNT_CREATED: _l("Account created"),
    SecurityEventKind.ROLE_CHANGED: _l("Role changed"),
    SecurityEventKind.DEACTIVATED: _l("Account deactivated"),
    SecurityEventKind.ACTIVATED: _l("Account activated"),
    SecurityEventKind.PASSWORD_CHANGED: _l("Password changed"),
    SecurityEventKind.PASSWORD_RESET_REQUESTED: _l("New password asked for by email"),
    SecurityEventKind.PASSWORD_RESET: _l("New password set through the emailed link"),
    SecurityEventKind.RULE_ADDED: _l("Moderation rule added"),
    SecurityEventKind.RULE_REMOVED: _l("Moderation rule removed"),
    SecurityEventKind.PERSONAL_DATA_FOUND: _l("Personal data looked up"),
    SecurityEventKind.PERSONAL_DATA_EXPORTED: _l("Personal data exported"),
    SecurityEventKind.PERSONAL_DATA_ERASED: _l("Personal data erased"),
    SecurityEventKind.PERSONAL_DATA_CORRECTED: _l("Personal data corrected"),
}
DETAIL_LABELS = {
    "wrong_password": _l("wrong password"),
    "inactive": _l("account deactivated"),
}


@bp.before_request
def _admins_only() -> BaseResponse | None:
    return check_role(ADMINS)


@bp.get("/")
def index() -> str:
    return render_template(
        "admin/security.html",
        events=security_log.events(request_limits.page_number(), PER_PAGE),
        kinds=KIND_LABELS,
        details=DETAIL_LABELS,
    )


@bp.get("/security.csv")
def export() -> Response:
    return Response(
        security_log.export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=security-events.csv"},
    )
