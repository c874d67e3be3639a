"""Information pages in the editor desk: list, write with preview, publish, history, restore."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..articles.forms import ActionForm
from ..auth.decorators import EDITORS, check_role
from ..content import desk
from ..extensions import csrf, db
from ..models import Page
from ..revisions import FieldError
from . import queries, services
from .forms import ERRORS, PageForm

bp = Blueprint("pages_desk", __name__, url_prefix="/editor/pages")
KIND = desk.DeskKind(
    model=Page,
    key="page_id",
    errors=ERRORS,
    expired=_l(
        "Your session had expired, so the page was not saved yet. "
        "Everything you typed is below: save again."
    ),  # fmt: skip
    not_saved=_l("The page was not saved. Check the fields marked below."),
    unpublished=_l("The page is no longer public. It is kept as a draft."),
)


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

    def save(action: str) -> Page:
        return services.save_page(page, _data(form), current_user.id, action)

    saved, preview = desk.submit(form, KIND, save)
    if isinstance(saved, Page):
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


desk.add_views(bp, "/<int:page_id>", KIND)
