"""Forms of the information pages and the section's lists (editor desk)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..content.forms import ERRORS as CONTENT_ERRORS
from ..content.forms import ContentFields, local_time_field, order_field
from ..forms import Form, int_or_none, sensible_year, too_long
from ..text import clean_line, nfc

# Service error codes -> what the editor reads next to the field.
ERRORS = {
    **CONTENT_ERRORS,
    "published": _l("The address of a published page cannot change: readers' links use it."),
    "cycle": _l("A page cannot be placed under itself or one of its sub-pages."),
    "unknown": _l("Choose a value from the list."),
    "was_public": _l("Readers have seen this page: unpublish it instead of deleting it."),
    "has_children": _l("This page has sub-pages. Move or delete them first."),
    "ends_before": _l("The end must be after the start."),
    "effective_before": _l("A document cannot take effect before it is issued."),
    "bad_url": _l("Enter an address starting with https://, http:// or /."),
    "link_or_file": _l("Give a link or upload the PDF."),
    "not_pdf": _l("This file is not a PDF. Upload the document as a PDF file."),
    "encrypted_pdf": _l("This PDF needs a password to open. Upload a copy that opens without one."),
    "too_large": _l("The file is larger than %(mb)s MB."),
    "id_number": _l("Remove the ID card number: it identifies a person."),
    "phone": _l("Remove the phone number: it identifies a person."),
    "initials_place": _l(
        "Do not put a commune or ward next to the complainant's initials: together they "
        "identify them. Give at most the province."
    ),
    "complainant_named": _l("Write the complainant's initials only, not the full name."),
    "unfounded_named": _l(
        "The denunciation was found untrue: do not name the person denounced, give only "
        "their position."
    ),
    "expired": _l(
        "Your session had expired, so the page was not saved yet. "
        "Everything you typed is below: save again."
    ),
    "not_saved": _l("The page was not saved. Check the fields marked below."),
    "unpublished": _l("The page is no longer public. It is kept as a draft."),
}

BLOCKS = [
    ("", _l("None")),
    ("reception_schedule", _l("Citizen reception schedule")),
    ("published_results", _l("Published results")),
    ("legal_documents", _l("Legal documents")),
]
MODES = [
    ("in_person", _l("In person")),
    ("online", _l("Online")),
    ("hybrid", _l("In person and online")),
]
SESSION_STATUSES = [
    ("scheduled", _l("As planned")),
    ("postponed", _l("Postponed")),
    ("moved", _l("Moved")),
    ("cancelled", _l("Cancelled")),
]
RESULT_KINDS = [("complaint", _l("Complaint")), ("denunciation", _l("Denunciation"))]
DOCUMENT_KINDS = [
    ("constitution", _l("Constitution")),
    ("law", _l("Law")),
    ("decree", _l("Decree")),
    ("circular", _l("Circular")),
    ("decision", _l("Decision")),
]


def _line(label: object, limit: int, required: bool = False) -> StringField:
    checks = [InputRequired(_l("This field is required."))] if required else [Optional()]
    return StringField(
        label,
        filters=[clean_line],
        validators=[*checks, Length(max=limit, message=too_long(limit))],
    )


def _text(label: object, limit: int) -> TextAreaField:
    return TextAreaField(
        label, filters=[nfc], validators=[Length(max=limit, message=too_long(limit))]
    )


def _date(label: object, required: bool = False) -> DateField:
    checks = [InputRequired(_l("This field is required."))] if required else [Optional()]
    return DateField(label, validators=[*checks, sensible_year])


class PageForm(ContentFields, Form):
    static_choices = {"block": BLOCKS}
    title = _line(_l("Title"), 300, required=True)
    parent_id = SelectField(_l("Parent page"), coerce=int_or_none, validate_choice=True)
    position = order_field()
    block = SelectField(_l("List shown under the text"), validate_choice=True)
    sample_notice = BooleanField(_l("Sample text: show “to be confirmed by the agency”"))
    reviewed_on = _date(_l("Last reviewed on"))


class SessionForm(Form):
    static_choices = {"mode": MODES, "status": SESSION_STATUSES}
    starts_at = local_time_field(_l("Starts (Vietnam time)"), required=True)
    ends_at = local_time_field(_l("Ends (Vietnam time)"))
    receiver_title = _line(_l("Who receives: title"), 200, required=True)
    receiver_name = _line(_l("Who receives: name"), 120)
    place = _line(_l("Place"), 300, required=True)
    mode = SelectField(_l("Form"), validate_choice=True)
    status = SelectField(_l("Status"), validate_choice=True)
    note = _line(_l("Note"), 500)


class ResultForm(Form):
    static_choices = {"kind": RESULT_KINDS}
    title = _line(_l("Title"), 300, required=True)
    document_number = _line(_l("Document number"), 100, required=True)
    issued_on = _date(_l("Date"), required=True)
    kind = SelectField(_l("Type"), validate_choice=True)
    summary = _text(_l("Outcome in one or two sentences"), 1000)
    url = _line(_l("Link to the document"), 500)
    pdf = FileField(_l("Or upload the PDF"))
    remove_pdf = BooleanField(_l("Remove the uploaded PDF"))


class DocumentForm(Form):
    static_choices = {"kind": DOCUMENT_KINDS}
    title = _line(_l("Title"), 300, required=True)
    number = _line(_l("Number"), 100, required=True)
    kind = SelectField(_l("Type"), validate_choice=True)
    issued_on = _date(_l("Issued on"), required=True)
    effective_on = _date(_l("In force from"))
    note = _text(_l("Note on amendments"), 1000)
    url = _line(_l("Link to the full text"), 500)
    unconfirmed = BooleanField(_l("Sample information - to be confirmed by the agency"))
