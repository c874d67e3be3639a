"""Information pages in the editor desk: list, write with preview, publish, history, restore."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..content import desk
from ..errors import FieldError
from ..extensions import db
from ..forms import ActionForm
from ..models import Page
from . import queries, services
from .forms import ERRORS, PageForm

bp = desk.blueprint("pages_desk", __name__, "/editor/pages")
KIND = desk.DeskKind(Page, "page_id", ERRORS, PageForm)


def _load(page_id: int) -> Page:
    return db.get_or_404(Page, page_id)


def _parent_choices(form: PageForm, page: Page | None) -> None:
    pages = queries.all_pages()
    form.parent_id.choices = [(None, _("(top level)"))] + [
        (p.id, p.title) for p in pages if page is None or p.id != page.id
    ]


def _form_values(page: Page) -> SimpleNamespace:
    own = ("parent_id", "position", "block", "sample_notice", "reviewed_on")
    return desk.form_values(page, own)


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
    form = PageForm(
        **desk.autosave_start(KIND, page), obj=None if page is None else _form_values(page)
    )
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
    return render_template(
        "editor/pages/edit.html",
        form=form,
        page=page,
        preview=preview,
        **desk.autosave_context(bp.name, KIND, page),
    )


@bp.post("/<int:page_id>/delete")
def delete(page_id: int) -> Response:
    page = _load(page_id)
    if ActionForm().validate_on_submit():
        try:
            services.delete_draft(page)
        except FieldError as exc:
            flash(str(ERRORS[exc.code]), "error")
            return redirect(url_for("pages_desk.edit", page_id=page_id))
        flash(_("Page deleted."), "success")
    return redirect(url_for("pages_desk.index"))


desk.add_views(bp, "", KIND, _edit)
