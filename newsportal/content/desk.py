"""One desk flow for every kind of content: the edit form's POST handling, preview, unpublish,
history, one revision and restore. A kind describes itself with a `DeskKind` and keeps only its
own fields, lists and messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .. import markup, revisions
from ..auth.decorators import EDITORS, check_role, json_api
from ..errors import FieldError
from ..extensions import csrf, db
from ..forms import ActionForm
from ..models import Content, Revision, Role
from ..text import display_time, iso_time
from . import autosave, queries, review, services
from .forms import AutosaveForm, field_limits

EditForm = Callable[[Any], "str | Response"]


def blueprint(
    name: str,
    import_name: str,
    url_prefix: str,
    roles: tuple[Role, ...] = EDITORS,
    editors_only: frozenset[str] = frozenset(),
) -> Blueprint:
    """A desk's blueprint: its URLs are for `roles` (editors and admins unless a kind opens its
    desk to writers too), the views named in `editors_only` for editors and admins alone."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)

    def guard() -> Response | None:
        endpoint = (request.endpoint or "").rpartition(".")[2]
        return check_role(EDITORS if endpoint in editors_only else roles)

    bp.before_request(guard)
    return bp


def writer() -> review.Writer:
    return review.Writer(current_user.id, current_user.role)


@dataclass(frozen=True)
class DeskKind:
    model: type[Content]
    key: str  # the URL variable holding the item's id
    # FieldError and MarkupRefused codes -> messages, and what the desk flashes: "expired" (the
    # CSRF token expired: nothing was saved, the text is kept), "not_saved", "unpublished"
    messages: Mapping[str, Any]
    form: type  # the edit form: what an autosave keeps, and how long each field may be

    def say(self, code: str) -> str:
        return str(self.messages[code])

    def load(self, ids: Mapping[str, int]) -> Content:
        item: Content = db.get_or_404(self.model, ids[self.key])
        if not review.may_open(item, writer()):
            abort(403)  # a reporter's desk holds their own articles only
        return item

    def revision(self, item: Content, revision_id: int) -> Revision:
        rev = queries.revision_of(item, revision_id)
        if rev is None:
            abort(404)
        return rev


def autosave_start(kind: DeskKind, item: Content | None) -> dict[str, Any]:
    """The edit form's arguments: the user's autosave as typed when they asked for it back
    (`?restore=autosave`), else nothing (the item's values, or the POST)."""
    if request.method != "GET" or request.args.get("restore") != "autosave":
        return {}
    row = queries.autosave_to_offer(current_user.id, item, kind.model.kind)
    return {} if row is None else {"formdata": MultiDict(row.fields)}


def autosave_context(bp_name: str, kind: DeskKind, item: Content | None) -> dict[str, Any]:
    """What the edit template needs to autosave and to offer an autosave back."""
    ids: dict[str, Any] = {} if item is None else {kind.key: item.id}
    suffix = "" if item is None else "_item"
    offer = None
    if request.method == "GET":
        offer = queries.autosave_to_offer(current_user.id, item, kind.model.kind)
    return {
        "autosave": offer,
        "autosave_restored": offer is not None and request.args.get("restore") == "autosave",
        "autosave_url": url_for(f"{bp_name}.autosave{suffix}", **ids),
        "autosave_discard_url": url_for(f"{bp_name}.autosave_discard{suffix}", **ids),
        "autosave_restore_url": url_for(
            f"{bp_name}.edit" if item else f"{bp_name}.new", restore="autosave", **ids
        ),
    }


def form_values(item: Content, names: Iterable[str], **values: Any) -> SimpleNamespace:
    """What a kind's form starts from: the shared fields, the kind's named columns, `values`."""
    shared = {"title": item.title, "slug": item.slug, "lead": item.lead, "body": item.body_md}
    return SimpleNamespace(**shared, **{name: getattr(item, name) for name in names}, **values)


def render_preview(form: Any, kind: DeskKind) -> str | None:
    """The rendered body, or None with the reason next to the body field."""
    try:
        return markup.render_article(form.body.data or "")
    except markup.MarkupRefused as exc:
        form.body.errors = [*form.body.errors, kind.messages[exc.code]]
        flash(_("The preview could not be made. Check the fields marked below."), "error")
        return None


def submit(
    form: Any, kind: DeskKind, save: Callable[[str], Content]
) -> tuple[Content | None, str | None]:
    """Handle the edit form's POST: (the saved item, None) or (None, the preview if asked for).

    A refused save puts its reason next to the field and keeps everything typed."""
    if request.method != "POST":
        return None, None
    action = request.form.get("action", "save")
    if not form.validate():
        expired = form.meta.csrf and form.csrf_token.errors
        flash(kind.say("expired" if expired else "not_saved"), "error")
        return None, None
    if action == "preview":
        return None, render_preview(form, kind)
    try:
        return save(action), None
    except FieldError as exc:
        field = getattr(form, exc.field, form.title)
        field.errors = [*field.errors, kind.messages.get(exc.code, kind.messages["invalid"])]
        flash(kind.say("not_saved"), "error")
        return None, None


def add_views(bp: Blueprint, prefix: str, kind: DeskKind, edit_form: EditForm) -> None:
    """new, edit, unpublish, history, revision and restore under `prefix` ("/articles" or "").

    `edit_form` shows the kind's form for an item (None: a new one) and handles its POST."""
    rule = f"{prefix}/<int:{kind.key}>"

    # The edit form checks its own CSRF token, so an expired one shows the text again, not a 400.
    @csrf.exempt
    def new() -> str | Response:
        return edit_form(None)

    @csrf.exempt
    def edit(**ids: int) -> str | Response:
        return edit_form(kind.load(ids))

    def back(item_id: int) -> Response:
        ids: dict[str, Any] = {kind.key: item_id}
        return redirect(url_for(f"{bp.name}.edit", **ids))

    def unpublish(**ids: int) -> Response:
        if ActionForm().validate_on_submit():
            services.unpublish(kind.load(ids), current_user.id)
            flash(kind.say("unpublished"), "success")
        return back(ids[kind.key])

    def history(**ids: int) -> str:
        item = kind.load(ids)
        return render_template(
            "editor/history.html",
            item=item,
            desk=bp.name,
            revisions=queries.revisions(item),
            restores=writer().publishes,
        )

    def revision(revision_id: int, **ids: int) -> str:
        item = kind.load(ids)
        rev = kind.revision(item, revision_id)
        previous = queries.previous_revision(item, rev)
        return render_template(
            "editor/revision.html",
            item=item,
            desk=bp.name,
            revision=rev,
            previous=previous,
            # What this revision changed, and what bringing it back would change now.
            made=revisions.changes(previous, rev) if previous is not None else None,
            restoring=revisions.changes(item, rev),
            form=ActionForm(),
            restores=writer().publishes,
        )

    def restore(revision_id: int, **ids: int) -> Response:
        item = kind.load(ids)
        rev = kind.revision(item, revision_id)
        if ActionForm().validate_on_submit():
            try:
                services.restore(item, rev, current_user.id)
            except markup.MarkupRefused as exc:
                flash(kind.say(exc.code), "error")
            else:
                flash(
                    _("Revision restored. The restore is itself saved as a new revision."),
                    "success",
                )
        return back(item.id)

    limits = field_limits(kind.form)

    def item_of(ids: Mapping[str, int]) -> Content | None:
        return kind.load(ids) if ids else None

    # JSON for article-editor.js; the form's own CSRF token, so a stale one is a message too.
    @csrf.exempt
    @json_api
    def autosave_post(**ids: int) -> tuple[Response, int]:
        item = item_of(ids)
        form = AutosaveForm()
        if not form.validate_on_submit():
            return jsonify(error=_("The page is out of date. Reload it to keep autosaving.")), 400
        try:
            fields = form.typed_fields(request.form, limits)
        except ValueError:
            return jsonify(error=_("Too long to autosave. Shorten the text, then save.")), 400
        row = autosave.store(
            current_user.id, kind.model.kind, None if item is None else item.id, fields
        )
        return jsonify(saved_at=iso_time(row.saved_at), saved_label=display_time(row.saved_at)), 200

    def autosave_discard(**ids: int) -> Response:
        item = item_of(ids)
        if ActionForm().validate_on_submit():
            autosave.discard(current_user.id, kind.model.kind, None if item is None else item.id)
            flash(_("The autosaved text was discarded."), "success")
        return back(item.id) if item else redirect(url_for(f"{bp.name}.new"))

    bp.add_url_rule(f"{prefix}/new", "new", new, methods=["GET", "POST"])
    bp.add_url_rule(f"{prefix}/new/autosave", "autosave", autosave_post, methods=["POST"])
    bp.add_url_rule(f"{rule}/autosave", "autosave_item", autosave_post, methods=["POST"])
    bp.add_url_rule(
        f"{prefix}/new/autosave/discard", "autosave_discard", autosave_discard, methods=["POST"]
    )
    bp.add_url_rule(
        f"{rule}/autosave/discard", "autosave_discard_item", autosave_discard, methods=["POST"]
    )
    bp.add_url_rule(rule, "edit", edit, methods=["GET", "POST"])
    bp.add_url_rule(f"{rule}/unpublish", "unpublish", unpublish, methods=["POST"])
    bp.add_url_rule(f"{rule}/history", "history", history, methods=["GET"])
    revision_rule = f"{rule}/revisions/<int:revision_id>"
    bp.add_url_rule(revision_rule, "revision", revision, methods=["GET"])
    bp.add_url_rule(f"{revision_rule}/restore", "restore", restore, methods=["POST"])
