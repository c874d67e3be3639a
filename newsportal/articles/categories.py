"""Categories, managed from the editor desk."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..auth.decorators import EDITORS, check_role
from ..extensions import db
from ..forms import ActionForm
from ..models import Category
from . import queries, services
from .forms import ERRORS, CategoryForm

bp = Blueprint("categories", __name__, url_prefix="/editor/categories")


@bp.before_request
def _editors_only() -> Response | None:
    """Every URL here is for editors and admins."""
    return check_role(EDITORS)


@bp.route("/", methods=["GET", "POST"])
def index() -> str | Response:
    form = CategoryForm()
    if form.validate_on_submit() and _save(None, form):
        return redirect(url_for("categories.index"))
    return render_template("editor/categories.html", form=form, categories=queries.categories())


@bp.route("/<int:category_id>", methods=["GET", "POST"])
def edit(category_id: int) -> str | Response:
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and _save(category, form):
        return redirect(url_for("categories.index"))
    return render_template("editor/category_edit.html", form=form, category=category)


@bp.post("/<int:category_id>/delete")
def delete(category_id: int) -> Response:
    category = db.get_or_404(Category, category_id)
    if ActionForm().validate_on_submit():
        try:
            services.delete_category(category)
        except services.FieldError as exc:
            flash(str(ERRORS[exc.code]), "error")
        else:
            flash(_("Category deleted."), "success")
    return redirect(url_for("categories.index"))


def _save(category: Category | None, form: CategoryForm) -> bool:
    try:
        services.save_category(
            category, form.name.data or "", form.slug.data or "", form.position.data or 0
        )
    except services.FieldError as exc:
        getattr(form, exc.field).errors.append(ERRORS[exc.code])
        return False
    flash(_("Category saved."), "success")
    return True
