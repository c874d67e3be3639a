"""The moderation desk: the queue, actions one at a time or in bulk, audit log, rules, replies."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from .. import request_limits
from ..auth import queries as auth_queries
from ..auth.decorators import MODERATORS, check_role
from ..errors import FieldError
from ..extensions import db
from ..models import Comment, CommentStatus, Role, RuleKind
from . import moderation, services
from .forms import REJECT_REASONS, ModerationForm, ReplyForm

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
STATUSES = [s.value for s in CommentStatus]
STAFF_REPLIERS = (Role.EDITOR, Role.MODERATOR, Role.ADMIN)


@bp.before_request
def _staff_only() -> BaseResponse | None:
    # Replies are open to editors too: the editorial board answers citizens.
    return check_role(STAFF_REPLIERS if request.endpoint == "moderation.reply" else MODERATORS)


def _counts() -> dict[str, int]:
    """Comments per status, read once per request for the tabs and the badge alike."""
    if "comment_counts" not in g:
        g.comment_counts = moderation.status_counts()
    return dict(g.comment_counts)


def capped(count: int) -> str:
    return f"{moderation.COUNT_CAP}+" if count > moderation.COUNT_CAP else str(count)


@bp.app_context_processor
def _pending_badge() -> dict[str, object]:
    # Called by the staff navigation only, so readers' pages never pay for the count.
    return {"pending_comments": lambda: capped(_counts()["pending"]), "capped": capped}


def _back() -> BaseResponse:
    target = request.form.get("next", "")
    if not target.startswith("/moderation/") or target.startswith("//"):
        target = url_for("moderation.queue")
    return redirect(target)


@bp.get("/")
def queue() -> str:
    status = request.args.get("status", CommentStatus.PENDING)
    status = status if status in STATUSES else CommentStatus.PENDING
    article_id = request.args.get("article", type=request_limits.query_int)
    search = request.args.get("q", "").strip()[:200]
    page = request_limits.page_number()
    counts = _counts()
    per_page = current_app.config["MODERATION_PER_PAGE"]
    comments = moderation.queue(status, article_id, search, page, per_page, counts[status])
    return render_template(
        "moderation/queue.html",
        comments=comments,
        status=status,
        article_id=article_id,
        search=search,
        counts=counts,
        history=comments.history,
        form=ModerationForm(),
        reasons=REJECT_REASONS,
        bots=services.bot_counts(7) if status == CommentStatus.SPAM else None,
    )


@bp.post("/comments/<int:comment_id>/<any(approve, reject, spam):action>")
def act(comment_id: int, action: str) -> BaseResponse:
    form = ModerationForm()
    if form.validate_on_submit():
        db.get_or_404(Comment, comment_id)
        change = moderation.set_status([comment_id], action, current_user.id, _reason(form))
        _report(action, change.changed)
    return _back()


@bp.post("/bulk")
def bulk() -> BaseResponse:
    form = ModerationForm()
    ids = request_limits.ids(request.form.getlist("ids"))
    action = request.form.get("action", "")
    if not form.validate_on_submit():
        return _back()
    if not ids:
        flash(_("Select at least one comment."), "error")
    elif action not in moderation.ACTIONS:
        flash(_("Choose approve, reject or spam."), "error")
    else:
        change = moderation.set_status(ids, action, current_user.id, _reason(form))
        _report(action, change.changed)
    return _back()


def _reason(form: ModerationForm) -> str:
    labels = dict(REJECT_REASONS)
    code = form.reason.data or ""
    return str(labels.get(code, "")) if code else ""


def _report(action: str, changed: int) -> None:
    messages = {
        "approve": _(
            "Approved: %(n)s. Approved comments show under the article at once.", n=changed
        ),
        "reject": _("Rejected: %(n)s.", n=changed),
        "spam": _("Marked as spam: %(n)s.", n=changed),
    }
    flash(messages[action], "success")


@bp.post("/comments/<int:comment_id>/reply")
def reply(comment_id: int) -> BaseResponse:
    comment = db.get_or_404(Comment, comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            moderation.reply(comment, current_user.id, form.body.data or "")
        except FieldError:
            flash(_("Only an approved comment can be answered."), "error")
        else:
            flash(_("The editorial board's reply is published under the comment."), "success")
    else:
        flash(_("Please write the reply (2 to 5,000 characters)."), "error")
    target = request.form.get("next", "")
    if target.startswith(("/articles/", "/moderation/")) and "//" not in target:
        return redirect(target)
    return redirect(url_for("moderation.queue", status="approved"))


@bp.get("/audit")
def audit() -> str:
    status, actor = _audit_filters()
    page = request_limits.page_number()
    staff = auth_queries.staff_by_name()
    return render_template(
        "moderation/audit.html",
        entries=moderation.audit_log(status, actor, page, 100),
        status=status,
        actor=actor,
        staff=staff,
        statuses=STATUSES,
    )


@bp.get("/audit.csv")
def audit_csv() -> Response:
    status, actor = _audit_filters()
    return Response(
        moderation.audit_csv(status, actor),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=comment-audit.csv"},
    )


def _audit_filters() -> tuple[str | None, int | None]:
    status = request.args.get("status") or None
    return (status if status in STATUSES else None), request.args.get(
        "actor", type=request_limits.query_int
    )


@bp.route("/rules", methods=["GET", "POST"])
def rules() -> str | BaseResponse:
    if not current_user.has_role(Role.ADMIN):
        abort(403)
    form = ModerationForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            moderation.add_rule(
                request.form.get("kind", ""),
                request.form.get("value", ""),
                current_user.id,
                current_app.config["IP_HASH_KEY"],
            )
        except FieldError:
            flash(_("Choose a kind and enter a value."), "error")
        else:
            flash(_("Rule saved."), "success")
        return redirect(url_for("moderation.rules"))
    return render_template(
        "moderation/rules.html", rules=moderation.rules(), form=form, kinds=list(RuleKind)
    )


@bp.post("/rules/<int:rule_id>/delete")
def delete_rule(rule_id: int) -> BaseResponse:
    if not current_user.has_role(Role.ADMIN):
        abort(403)
    if ModerationForm().validate_on_submit():
        moderation.delete_rule(rule_id, current_user.id)
        flash(_("Rule removed."), "success")
    return redirect(url_for("moderation.rules"))
