"""The section's structured lists in the editor desk: the reception schedule, published results
and legal documents. One set of views serves the three; each list names its form and service."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..content import desk
from ..errors import FieldError
from ..extensions import csrf, db
from ..forms import ActionForm, Form
from ..models import LegalDocument, PublishedResult, ReceptionSession
from ..request_limits import page_number
from ..storage import current as storage
from ..text import local_to_utc, to_local, utcnow
from . import queries, records
from .forms import ERRORS, DocumentForm, ResultForm, SessionForm

Item = TypeVar("Item", ReceptionSession, PublishedResult, LegalDocument)
bp = desk.blueprint("lists_desk", __name__, "/editor/section")


def _local(value: datetime | None) -> datetime | None:
    return to_local(value).replace(tzinfo=None) if value else None


class ListKind(ABC, Generic[Item]):
    """One structured list: its title, model and form, how a row fills the form, how the form
    is saved and how a row goes. The views below serve every list through these."""

    title: Any
    model: type[Item]
    form: type[Form]

    @abstractmethod
    def values(self, item: Item) -> dict[str, Any]:
        """The form's fields filled from a saved row."""

    @abstractmethod
    def save(self, item: Item | None, form: Any) -> Item:
        """The form's values through the list's service; FieldError for what it refuses."""

    def delete(self, item: Item) -> None:
        records.delete(item)

    @abstractmethod
    def items(self, page: int, per_page: int) -> Any:
        """One page of rows, in the list's order."""


class ScheduleList(ListKind[ReceptionSession]):
    title, model, form = _l("Citizen reception schedule"), ReceptionSession, SessionForm

    def values(self, item: ReceptionSession) -> dict[str, Any]:
        names = ("receiver_title", "receiver_name", "place", "mode", "status", "note")
        return {
            "starts_at": _local(item.starts_at),
            "ends_at": _local(item.ends_at),
            **{name: getattr(item, name) for name in names},
        }

    def save(self, item: ReceptionSession | None, form: Any) -> ReceptionSession:
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

    def items(self, page: int, per_page: int) -> Any:
        return queries.all_sessions(page, per_page)


class ResultList(ListKind[PublishedResult]):
    title, model, form = _l("Published results"), PublishedResult, ResultForm

    def values(self, item: PublishedResult) -> dict[str, Any]:
        names = ("title", "document_number", "issued_on", "kind", "summary", "url")
        return {**{name: getattr(item, name) for name in names}, "pdf": None, "remove_pdf": False}

    def save(self, item: PublishedResult | None, form: Any) -> PublishedResult:
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
        return records.save_result(item, data, current_user.id, storage())

    def delete(self, item: PublishedResult) -> None:
        records.delete_result(item, storage())

    def items(self, page: int, per_page: int) -> Any:
        return queries.results(page, per_page)


class DocumentList(ListKind[LegalDocument]):
    title, model, form = _l("Legal documents"), LegalDocument, DocumentForm

    def values(self, item: LegalDocument) -> dict[str, Any]:
        names = (
            "title",
            "number",
            "kind",
            "issued_on",
            "effective_on",
            "note",
            "url",
            "unconfirmed",
        )
        return {name: getattr(item, name) for name in names}

    def save(self, item: LegalDocument | None, form: Any) -> LegalDocument:
        data = records.DocumentData(
            title=form.title.data or "",
            number=form.number.data or "",
            kind=form.kind.data,
            issued_on=form.issued_on.data,
            effective_on=form.effective_on.data,
            note=form.note.data or "",
            url=form.url.data or "",
            unconfirmed=bool(form.unconfirmed.data),
        )
        return records.save_document(item, data, current_user.id)

    def items(self, page: int, per_page: int) -> Any:
        return queries.documents()


KINDS: dict[str, ListKind[Any]] = {
    "schedule": ScheduleList(),
    "results": ResultList(),
    "documents": DocumentList(),
}


def _kind(name: str) -> ListKind[Any]:
    if name not in KINDS:
        abort(404)
    return KINDS[name]


def _message(code: str) -> str:
    megabytes = current_app.config["DOCUMENT_MAX_BYTES"] // (1024 * 1024)
    return str(ERRORS.get(code, ERRORS["invalid"])).replace("%(mb)s", str(megabytes))


@bp.get("/<name>/")
def index(name: str) -> str:
    kind = _kind(name)
    items = kind.items(page_number(), current_app.config["EDITOR_PER_PAGE"])
    return render_template(
        f"editor/section/{name}.html", kind=kind, name=name, items=items, now=utcnow()
    )


def _edit(name: str, item: Any) -> str | Response:
    kind = _kind(name)
    form: Any = kind.form(data=None if item is None else kind.values(item))
    if request.method == "POST":
        if not form.validate():
            if form.meta.csrf and form.csrf_token.errors:
                flash(
                    _(
                        "Your session had expired, so nothing was saved yet. "
                        "Everything you typed is below: save again."
                    ),
                    "error",
                )
            else:
                flash(_("Nothing was saved. Check the fields marked below."), "error")
        else:
            try:
                kind.save(item, form)
            except FieldError as exc:
                field = getattr(form, exc.field, form.title if hasattr(form, "title") else None)
                if field is not None:
                    field.errors = [*field.errors, _message(exc.code)]
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
    item = db.get_or_404(kind.model, item_id)
    if ActionForm().validate_on_submit():
        kind.delete(item)
        flash(_("Deleted."), "success")
    return redirect(url_for("lists_desk.index", name=name))
