"""The fields every kind of content's form has; a kind's form adds its own and its title."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import ActionForm, sensible_year, too_long
from ..text import clean_line, nfc

# An autosaved field with no length limit of its own (a choice's id, a time, a checkbox).
AUTOSAVE_SHORT_FIELD = 64

# Service error codes every kind shares -> what the editor reads next to the field.
ERRORS = {
    "required": _l("This field is required."),
    "taken": _l("This address is already used. Choose another."),
    "invalid": _l("Use letters, digits and hyphens."),
    "no_slug": _l("The title needs at least one letter or digit to make an address from."),
    "year": _l("Enter a year between 1900 and 2200."),
    # markup_bounds refusals: the body is kept in the form, as typed.
    "too_deep": _l(
        "The body nests quotes, lists, emphasis or HTML tags more than 64 levels deep and "
        "cannot be displayed. Remove the extra levels and try again."
    ),
    "too_complex": _l(
        "The body cannot be displayed: it has thousands of unclosed brackets [ or tags <, "
        "headings or rules without blank lines between them, or far more table cells or tags "
        "than text. Simplify that part and try again."
    ),
}


def _limit(n: int) -> list[Length]:
    return [Length(max=n, message=too_long(n))]


class ContentFields:
    """Mixed into a kind's form (WTForms collects fields from every base class)."""

    slug = StringField(_l("Address (slug)"), filters=[clean_line], validators=_limit(160))
    lead = TextAreaField(_l("Lead"), filters=[nfc], validators=_limit(2000))
    body = TextAreaField(_l("Body (Markdown)"), filters=[nfc], validators=_limit(200_000))


def local_time_field(label: object, required: bool = False) -> DateTimeLocalField:
    """A time typed in Vietnam time, as the browser's picker sends it (with or without seconds);
    an article's publication time, a reception session's start and end."""
    first = InputRequired(_l("This field is required.")) if required else Optional()
    return DateTimeLocalField(
        label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[first, sensible_year]
    )


def order_field() -> IntegerField:
    """Where an item stands among its siblings (a page under its parent, a category in the menu)."""
    return IntegerField(
        _l("Order"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=10_000, message=_l("From 0 to 10,000."))],
    )


def field_limits(form_class: type) -> dict[str, int]:
    """Each field of an edit form and the longest value it takes: what an autosave may keep."""
    limits = {}
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        if name == "csrf_token" or not isinstance(unbound, UnboundField):
            continue
        lengths = [v.max for v in unbound.kwargs.get("validators", ()) if isinstance(v, Length)]
        limits[name] = lengths[0] if lengths else AUTOSAVE_SHORT_FIELD
    return limits


class AutosaveForm(ActionForm):
    """An autosave's POST: its CSRF token, and the edit form's fields as typed."""

    def typed_fields(
        self, formdata: Mapping[str, str], limits: Mapping[str, int]
    ) -> dict[str, str]:
        """The edit form's fields in `formdata` (nothing else is kept), as the form would read
        them; one longer than the form allows makes the autosave invalid (ValueError)."""
        fields = {}
        for name, limit in limits.items():
            value = formdata.get(name)
            if value is None:
                continue
            value = nfc(value)
            if len(value) > limit:
                raise ValueError(name)
            fields[name] = value
        return fields
