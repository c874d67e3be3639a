"""Information pages in the editor desk: list, write with preview, publish, history, restore."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..articles.editor import render_preview
from ..articles.forms import ActionForm
from ..auth.decorators import EDITORS, check_role
from ..extensions import csrf, db
from ..markup import MarkupRefused
from ..models import Page, PageRevision
from ..revisions import FieldError, revision_diff
from . import queries, services
from .forms import ERRORS, PageForm

bp = Blueprint("pages_desk", __name__, url_prefix="/editor/pages")


@bp.before_request
def _editors_only() -> Response | None:
    """Every URL here is for editors and admins."""
    return check_role(EDITORS)


def _load(page_id: int) -> Page:
    return db.get_or_404(Page, page_id)


def _parent_choices(form: PageForm, page: Page | None) -> None:
    pages = queries.all_pages()
    form.parent_id.choices = [(None, _("(top level)"))] + [
        (p.id, p.title) for p in pages if page is None or p.id != page.id
    ]


def _form_values(page: Page) -> SimpleNamespace:
    return SimpleNamespace(
        title=page.title,
        slug=page.slug,
        lead=page.lead,
        body=page.body_md,
        parent_id=page.parent_id,
        position=page.position,
        block=page.block,
        sample_notice=page.sample_notice,
        reviewed_on=page.reviewed_on,
    )


def _data(form: PageForm) -> services.PageData:
    return services.PageData(
        title=form.title.data or "",
        slug=form.slug.data or "",
        lead=form.lead.data or "",
        body_md=form.body.data or "",
        parent_id=form.parent_id.data,
        position=form.position.data or 0,
        block=form.block.data or "",
        sample_notice=bool(form.sample_notice.data),
        reviewed_on=form.reviewed_on.data,
    )


@bp.get("/")
def index() -> str:
    pages = queries.all_pages()
    by_parent: dict[int | None, list[Page]] = {}
    for page in pages:
        by_parent.setdefault(page.parent_id, []).append(page)
    return render_template("editor/pages/index.html", by_parent=by_parent)


def _edit(page: Page | None) -> str | Response:
    form = PageForm(obj=None if page is None else _form_values(page))
    _parent_choices(form, page)
    preview = None
    if request.method == "POST":
        action = request.form.get("action", "save")
        if not form.validate():
            if form.meta.csrf and form.csrf_token.errors:
                flash(_("Your session had expired, so the page was not saved yet. "
                        "Everything you typed is below: save again."), "error")  # fmt: skip
            else:
                flash(_("The page was not saved. Check the fields marked below."), "error")
        elif action == "preview":
            preview = render_preview(form)
        else:
            try:
                saved = services.save_page(page, _data(form), current_user.id, action)
            except FieldError as exc:
                field = getattr(form, exc.field, form.title)
                field.errors = [*field.errors, ERRORS.get(exc.message, ERRORS["invalid"])]
                flash(_("The page was not saved. Check the fields marked below."), "error")
            else:
                flash(
                    _("Saved. The page is public.") if saved.is_public else _("Saved as a draft."),
                    "success",
                )
                return redirect(url_for("pages_desk.edit", page_id=saved.id))
    return render_template("editor/pages/edit.html", form=form, page=page, preview=preview)


# The page form checks its own CSRF token, so an expired one shows the text again, not a 400.
@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt
def new() -> str | Response:
    return _edit(None)


@bp.route("/<int:page_id>", methods=["GET", "POST"])
@csrf.exempt
def edit(page_id: int) -> str | Response:
    return _edit(_load(page_id))


@bp.post("/<int:page_id>/unpublish")
def unpublish(page_id: int) -> Response:
    if ActionForm().validate_on_submit():
        services.unpublish_page(_load(page_id), current_user.id)
        flash(_("The page is no longer public. It is kept as a draft."), "success")
    return redirect(url_for("pages_desk.edit", page_id=page_id))


@bp.post("/<int:page_id>/delete")
def delete(page_id: int) -> Response:
    page = _load(page_id)
    if ActionForm().validate_on_submit():
        try:
            services.delete_draft(page)
        except FieldError as exc:
            flash(str(ERRORS[exc.message]), "error")
            return redirect(url_for("pages_desk.edit", page_id=page_id))
        flash(_("Page deleted."), "success")
    return redirect(url_for("pages_desk.index"))


def _revision_of(page: Page, revision_id: int) -> PageRevision:
    rev = db.session.scalar(
        db.select(PageRevision)
        .options(db.joinedload(PageRevision.user))
        .where(PageRevision.id == revision_id, PageRevision.page_id == page.id)
    )
    if rev is None:
        abort(404)
    return rev


@bp.get("/<int:page_id>/history")
def history(page_id: int) -> str:
    page = _load(page_id)
    return render_template(
        "editor/history.html", item=page, desk="pages_desk", revisions=queries.revisions(page.id)
    )


@bp.get("/<int:page_id>/revisions/<int:revision_id>")
def revision(page_id: int, revision_id: int) -> str:
    page = _load(page_id)
    rev = _revision_of(page, revision_id)
    return render_template(
        "editor/revision.html",
        item=page,
        desk="pages_desk",
        revision=rev,
        diff=revision_diff(page, rev, rev.id),
        form=ActionForm(),
    )


@bp.post("/<int:page_id>/revisions/<int:revision_id>/restore")
def restore(page_id: int, revision_id: int) -> Response:
    page = _load(page_id)
    rev = _revision_of(page, revision_id)
    if ActionForm().validate_on_submit():
        try:
            services.restore_revision(page, rev, current_user.id)
        except MarkupRefused as exc:
            db.session.rollback()
            flash(str(ERRORS[exc.message]), "error")
        else:
            flash(_("Revision restored. The restore is itself saved as a new revision."), "success")
    return redirect(url_for("pages_desk.edit", page_id=page.id))
