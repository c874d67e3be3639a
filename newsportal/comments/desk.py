"""The moderation desk: the queue, actions one at a time or in bulk, audit log, rules, replies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import cast
from urllib.parse import parse_qsl, urlsplit

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
    session,
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
from ..forms import ActionForm
from ..models import Comment, CommentStatus, Role, RuleKind
from . import moderation, services
from .forms import ACTION_LABELS, REJECT_REASONS, STATUS_LABELS, ModerationForm, ReplyForm

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


UNDO_KEY = "moderation_undo"  # the session holds the id of this moderator's last action


def _next_target() -> str:
    target = request.form.get("next", "")
    if not target.startswith("/moderation/") or target.startswith("//"):
        target = url_for("moderation.queue")
    return target


def _back() -> BaseResponse:
    return redirect(_next_target())


def _undo_window() -> timedelta:
    return timedelta(minutes=int(current_app.config["MODERATION_UNDO_MINUTES"]))


def _undo_offer() -> dict[str, object] | None:
    """The banner of this moderator's last action while it can be undone; read only after one."""
    action_id = session.get(UNDO_KEY)
    if not isinstance(action_id, int):
        return None
    action = moderation.undoable(action_id, current_user.id, _undo_window())
    if action is None:
        session.pop(UNDO_KEY, None)
        return None
    return {
        "action": action,
        "message": _done_message(action.kind, action.count),
        "until": action.created_at + _undo_window(),
    }


@bp.get("/")
def queue() -> str:
    return _queue_page(request.args, request.full_path)


def _queue_page(
    args: Mapping[str, str],
    back: str,
    selected: Iterable[int] = (),
    form: ModerationForm | None = None,
    error_for: int | None = None,
) -> str:
    """The queue as `args` ask; after a refused POST, with its selection and message kept."""
    status = args.get("status", CommentStatus.PENDING)
    status = status if status in STATUSES else CommentStatus.PENDING
    article_id = _arg_int(args.get("article", ""))
    search = args.get("q", "").strip()[:200]
    page = max(_arg_int(args.get("page", "")) or 1, 1)
    counts = _counts()
    per_page = current_app.config["MODERATION_PER_PAGE"]
    comments = moderation.queue(status, article_id, search, page, per_page, counts[status])
    # One URL per article shown, not one per row: a page of 50 often names a few articles.
    article_urls: dict[int, str] = {}
    for c in comments.items:
        if c.article_id not in article_urls:
            article_urls[c.article_id] = url_for("reader.article", slug=c.article.slug)
    return render_template(
        "moderation/queue.html",
        comments=comments,
        status=status,
        article_id=article_id,
        search=search,
        counts=counts,
        history=comments.history,
        marked=moderation.marked_terms(comments.items),
        article_urls=article_urls,
        earlier=_("Earlier: %(a)s approved, %(r)s rejected, %(s)s spam"),
        form=form or ModerationForm(formdata=None),
        error_for=error_for,
        selected=set(selected),
        back=back,
        undo=_undo_offer(),
        reasons=REJECT_REASONS,
        labels=STATUS_LABELS,
        bots=services.bot_counts(7) if status == CommentStatus.SPAM else None,
    )


def _arg_int(value: str) -> int | None:
    try:
        return request_limits.query_int(value)
    except ValueError:
        return None


def _refused(form: ModerationForm, ids: list[int], error_for: int | None) -> tuple[str, int]:
    """The page the POST came from again, its ticked comments still ticked, with the message."""
    target = urlsplit(_next_target())
    args: Mapping[str, str] = (
        dict(parse_qsl(target.query)) if target.path == url_for("moderation.queue") else {}
    )
    back = target.path + ("?" + target.query if target.query else "")
    page = _queue_page(args, back, ids, form, error_for)
    return page, 422


@bp.post("/act")
def act() -> BaseResponse | tuple[str, int] | str:
    """One comment's form: its buttons name the action, so every row posts to this one URL."""
    form = ModerationForm()
    comment_id = _arg_int(request.form.get("comment", ""))
    action = request.form.get("action", "")
    if comment_id is None or action not in moderation.ACTIONS:
        return _back()
    db.get_or_404(Comment, comment_id)
    if action != "reject":  # the row's reason list belongs to its reject button
        form.reason.data = ""
    if not form.validate_for(action):
        return _refused(form, [], comment_id) if form.reason.errors else _back()
    return _apply([comment_id], action, form)


@bp.post("/bulk")
def bulk() -> BaseResponse | tuple[str, int] | str:
    form = ModerationForm()
    ids = request_limits.ids(request.form.getlist("ids"))
    action = request.form.get("action", "")
    if not form.validate_on_submit():
        return _back()
    if not ids:
        flash(_("Select at least one comment."), "error")
    elif action not in moderation.ACTIONS:
        flash(_("Choose approve, reject or spam."), "error")
    elif not form.validate_for(action):
        return _refused(form, ids, None)
    else:
        return _apply(ids, action, form)
    return _back()


def _apply(ids: list[int], action: str, form: ModerationForm) -> BaseResponse | str:
    try:
        change = moderation.set_status(
            ids, action, current_user.id, form.reason_label(), ask_banned=not form.confirm.data
        )
    except FieldError as held:  # approving what the banned-term rule rejected: ask once more
        if held.field != "confirm":
            raise
        shown = moderation.comments_by_id(cast(list[int], held.details["ids"]))
        return render_template(
            "moderation/confirm.html",
            ids=ids,
            held=shown,
            marked=moderation.marked_terms(shown),
            others=len(ids) - len(shown),
            form=form,
            back=_next_target(),
        )
    if change.action_id is None:
        flash(_("Nothing changed: the comments were already like that."), "success")
    else:
        session[UNDO_KEY] = change.action_id
    return _back()


def _done_message(kind: str, n: int) -> str:
    messages = {
        "approve": _("Approved %(n)s comment(s).", n=n),
        "reject": _("Rejected %(n)s comment(s).", n=n),
        "spam": _("Marked %(n)s comment(s) as spam.", n=n),
    }
    return messages[kind]


@bp.post("/actions/<int:action_id>/undo")
def undo(action_id: int) -> BaseResponse:
    if not ActionForm().validate_on_submit():
        return _back()
    try:
        undone = moderation.undo(
            action_id, current_user.id, current_user.has_role(Role.ADMIN), _undo_window()
        )
    except FieldError as refused:
        flash(_undo_refusal(refused.code), "error")
    else:
        session.pop(UNDO_KEY, None)
        flash(_("Undone: %(n)s comment(s) are back as they were.", n=undone.restored), "success")
        if undone.skipped:
            flash(
                _(
                    "%(n)s comment(s) had been changed again since and were left as they are.",
                    n=undone.skipped,
                ),
                "error",
            )
    return _back()


def _undo_refusal(code: str) -> str:
    messages = {
        "missing": lambda: _("There is no such action to undo."),
        "not_yours": lambda: _(
            "Only the moderator who did it, or an administrator, can undo this action."
        ),
        "expired": lambda: _(
            "The %(n)s minutes to undo this action have passed: change the comments one by one.",
            n=current_app.config["MODERATION_UNDO_MINUTES"],
        ),
        "undone": lambda: _("This action has already been undone."),
        "changed": lambda: _(
            "Nothing was undone: every comment of that action has been changed again since."
        ),
    }
    return messages[code]()


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
    entries = moderation.audit_log(status, actor, page, 100)
    mine = not current_user.has_role(Role.ADMIN)  # an admin may undo anyone's action
    undoable = moderation.undoable_ids(
        {
            e.action_id
            for e in entries.items
            if e.action_id and (not mine or e.actor_id == current_user.id)
        },
        _undo_window(),
    )
    return render_template(
        "moderation/audit.html",
        entries=entries,
        undoable=undoable,
        back=request.full_path,
        status=status,
        actor=actor,
        staff=staff,
        statuses=STATUSES,
        labels=STATUS_LABELS,
        actions=ACTION_LABELS,
        first_words=moderation.first_words,
    )


@bp.get("/audit.csv")
def audit_csv() -> Response:
    status, actor = _audit_filters()
    words = {code: str(label) for code, label in STATUS_LABELS.items()}
    words |= {f"action:{code}": str(label) for code, label in ACTION_LABELS.items()}
    return Response(
        moderation.audit_csv(status, actor, words, _("The system")),
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
