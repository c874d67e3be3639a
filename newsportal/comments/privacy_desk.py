"""/admin/personal-data: an administrator answers a person's request about their comments.

Everything is a POST, so no address ends up in a URL (access logs, browser history): look up,
export (JSON or CSV), correct the name or address, and erase, which asks for the address a
second time first.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from ..auth.decorators import ADMINS, check_role
from ..errors import FieldError
from . import personal_data
from .forms import CORRECTION_REFUSALS, CorrectForm, EraseForm, PersonalDataForm

bp = Blueprint("personal_data", __name__, url_prefix="/admin/personal-data")
MIMETYPES = {"json": "application/json", "csv": "text/csv"}


@bp.before_request
def _admins_only() -> BaseResponse | None:
    return check_role(ADMINS)


def _secret() -> str:
    return str(current_app.config["IP_HASH_KEY"])


def _invalid(form: PersonalDataForm) -> None:
    form.email.errors = [*form.email.errors, _("Enter an email address.")]


@bp.route("/", methods=["GET", "POST"])
def index() -> str:
    form = PersonalDataForm()
    held = None
    if form.validate_on_submit():
        try:
            held = personal_data.find(form.email.data or "", current_user.id, _secret())
        except FieldError:
            _invalid(form)
    return render_template(
        "admin/personal_data.html",
        form=form,
        held=held,
        mode=current_app.config["ERASURE_MODE"],
        correction=CorrectForm(formdata=None, email=held.email) if held else None,
    )


@bp.post("/export/<any(json, csv):fmt>")
def export(fmt: str) -> BaseResponse:
    form = PersonalDataForm()
    if form.validate_on_submit():
        try:
            text = personal_data.export(form.email.data or "", fmt, current_user.id, _secret())
        except FieldError:
            pass
        else:
            return Response(
                text,
                mimetype=MIMETYPES[fmt],
                headers={
                    "Content-Disposition": f"attachment; filename=personal-data.{fmt}",
                    "Cache-Control": "private, no-store",
                },
            )
    flash(_("Enter an email address."), "error")
    return redirect(url_for("personal_data.index"))


@bp.post("/erase")
def erase() -> str | BaseResponse:
    form = EraseForm()
    mode = str(current_app.config["ERASURE_MODE"])
    if not form.validate_on_submit():
        flash(_("Enter an email address."), "error")
        return redirect(url_for("personal_data.index"))
    email = (form.email.data or "").strip().lower()
    if (form.confirm.data or "").strip().lower() != email:
        if form.confirm.data:
            form.confirm.errors = [_("The two addresses differ: nothing was erased.")]
        return render_template("admin/personal_data_erase.html", form=form, mode=mode)
    try:
        count = personal_data.erase(email, mode, current_user.id, _secret())
    except FieldError:
        flash(_("Enter an email address."), "error")
    else:
        message = (
            _("Deleted %(n)s comments of that address.", n=count)
            if mode == "delete"
            else _("Anonymised %(n)s comments of that address.", n=count)
        )
        flash(message, "success")
    return redirect(url_for("personal_data.index"))


@bp.post("/correct")
def correct() -> str | BaseResponse:
    """The right to correct; a refused correction comes back with everything typed in it."""
    form = CorrectForm()
    if form.validate_on_submit():
        try:
            count = personal_data.correct(
                form.email.data or "",
                form.new_email.data or "",
                form.new_name.data or "",
                current_user.id,
                _secret(),
            )
        except FieldError as error:
            # "form": both boxes were blank; the message goes with the first of them
            field = form.new_name if error.field == "form" else getattr(form, error.field)
            field.errors = [*field.errors, CORRECTION_REFUSALS[error.code](error)]
        else:
            flash(_("Corrected %(n)s comments of that address.", n=count), "success")
            return redirect(url_for("personal_data.index"))
    return render_template("admin/personal_data_correct.html", form=form)
