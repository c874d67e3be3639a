"""The section's structured lists in the editor desk: the reception schedule, published results
and legal documents. One set of views serves the three; each list names its form and service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..articles.forms import ActionForm
from ..auth.decorators import EDITORS, check_role
from ..extensions import csrf, db
from ..models import LegalDocument, PublishedResult, ReceptionSession
from ..request_limits import page_number
from ..revisions import FieldError
from ..text import local_to_utc, to_local, utcnow
from . import queries, records
from .forms import ERRORS, DocumentForm, ResultForm, SessionForm

bp = Blueprint("lists_desk", __name__, url_prefix="/editor/section")


@bp.before_request
def _editors_only() -> Response | None:
    """Every URL here is for editors and admins."""
    return check_role(EDITORS)


def _uploads() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _local(value: Any) -> Any:
    return to_local(value).replace(tzinfo=None) if value else None


def _save_session(item: Any, form: Any) -> Any:
    data = records.SessionData(
        starts_at=local_to_utc(form.starts_at.data),
        ends_at=local_to_utc(form.ends_at.data) if form.ends_at.data else None,
        receiver_title=form.receiver_title.data or "",
        receiver_name=form.receiver_name.data or "",
        place=form.place.data or "",
        mode=form.mode.data,
        status=form.status.data,
        note=form.note.data or "",
    )
    return records.save_session(item, data, current_user.id)


def _save_result(item: Any, form: Any) -> Any:
    upload = form.pdf.data
    data = records.ResultData(
        title=form.title.data or "",
        document_number=form.document_number.data or "",
        issued_on=form.issued_on.data,
        kind=form.kind.data,
        summary=form.summary.data or "",
        url=form.url.data or "",
        pdf=upload.read() if upload and getattr(upload, "filename", "") else None,
        remove_pdf=bool(form.remove_pdf.data),
        max_pdf_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
    )
    return records.save_result(
        item, data, current_user.id, Path(current_app.config["UPLOAD_FOLDER"])
    )


def _save_document(item: Any, form: Any) -> Any:
    data = records.DocumentData(
        title=form.title.data or "",
        number=form.number.data or "",
        kind=form.kind.data,
        issued_on=form.issued_on.data,
        effective_on=form.effective_on.data,
        note=form.note.data or "",
        url=form.url.data or "",
    )
    return records.save_document(item, data, current_user.id)


@dataclass(frozen=True)
class ListKind:
    title: Any
    model: type
    form: type
    save: Callable[[Any, Any], Any]
    values: Callable[[Any], SimpleNamespace]
    delete: Callable[[Any], None]


KINDS = {
    "schedule": ListKind(
        _l("Citizen reception schedule"),
        ReceptionSession,
        SessionForm,
        _save_session,
        lambda s: SimpleNamespace(
            starts_at=_local(s.starts_at),
            ends_at=_local(s.ends_at),
            receiver_title=s.receiver_title,
            receiver_name=s.receiver_name,
            place=s.place,
            mode=s.mode,
            status=s.status,
            note=s.note,
        ),  # fmt: skip
        records.delete,
    ),
    "results": ListKind(
        _l("Published results"),
        PublishedResult,
        ResultForm,
        _save_result,
        lambda r: SimpleNamespace(
            title=r.title,
            document_number=r.document_number,
            issued_on=r.issued_on,
            kind=r.kind,
            summary=r.summary,
            url=r.url,
            pdf=None,
            remove_pdf=False,
        ),  # fmt: skip
        lambda r: records.delete_result(r, _uploads()),
    ),
    "documents": ListKind(
        _l("Legal documents"),
        LegalDocument,
        DocumentForm,
        _save_document,
        lambda d: SimpleNamespace(
            title=d.title,
            number=d.number,
            kind=d.kind,
            issued_on=d.issued_on,
            effective_on=d.effective_on,
            note=d.note,
            url=d.url,
        ),  # fmt: skip
        records.delete,
    ),
}


def _kind(name: str) -> ListKind:
    if name not in KINDS:
        abort(404)
    return KINDS[name]


def _message(code: str) -> str:
    megabytes = current_app.config["DOCUMENT_MAX_BYTES"] // (1024 * 1024)
    return str(ERRORS.get(code, ERRORS["invalid"])).replace("%(mb)s", str(megabytes))


@bp.get("/<name>/")
def index(name: str) -> str:
    kind = _kind(name)
    page = page_number()
    per_page = current_app.config["EDITOR_PER_PAGE"]
    if name == "schedule":
        items: Any = queries.all_sessions(page, per_page)
    elif name == "results":
        items = queries.results(page, per_page)
    else:
        items = queries.documents()
    return render_template(
        f"editor/section/{name}.html", kind=kind, name=name, items=items, now=utcnow()
    )


def _edit(name: str, item: Any) -> str | Response:
    kind = _kind(name)
    form = kind.form(obj=None if item is None else kind.values(item))
    if request.method == "POST":
        if not form.validate():
            if form.meta.csrf and form.csrf_token.errors:
                flash(_("Your session had expired, so nothing was saved yet. "
                        "Everything you typed is below: save again."), "error")  # fmt: skip
            else:
                flash(_("Nothing was saved. Check the fields marked below."), "error")
        else:
            try:
                kind.save(item, form)
            except FieldError as exc:
                field = getattr(form, exc.field, form.title if hasattr(form, "title") else None)
                if field is not None:
                    field.errors = [*field.errors, _message(exc.message)]
                flash(_("Nothing was saved. Check the fields marked below."), "error")
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("lists_desk.index", name=name))
    return render_template("editor/section/edit.html", kind=kind, name=name, form=form, item=item)


# These forms check their own CSRF token, so an expired one shows the input again, not a 400.
@bp.route("/<name>/new", methods=["GET", "POST"])
@csrf.exempt
def new(name: str) -> str | Response:
    return _edit(name, None)


@bp.route("/<name>/<int:item_id>", methods=["GET", "POST"])
@csrf.exempt
def edit(name: str, item_id: int) -> str | Response:
    return _edit(name, db.get_or_404(_kind(name).model, item_id))


@bp.post("/<name>/<int:item_id>/delete")
def delete(name: str, item_id: int) -> Response:
    kind = _kind(name)
    item: Any = db.get_or_404(kind.model, item_id)
    if ActionForm().validate_on_submit():
        kind.delete(item)
        flash(_("Deleted."), "success")
    return redirect(url_for("lists_desk.index", name=name))
