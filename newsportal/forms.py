"""The base for every form: WTForms' own messages go through our catalogues, so a Vietnamese
page never shows "Not a valid datetime value." in English (WTForms ships no Vietnamese)."""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field
from wtforms.validators import InputRequired, Length, ValidationError

from .text import clean_line

# Messages WTForms writes itself, listed so `make extract` puts them in the catalogues.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid datetime value."),
    _l("Not a valid integer value."),
    _l("Invalid email address."),
    _l("Invalid value."),
    _l("Invalid input."),
    _l("The CSRF token is missing."),
    _l("The CSRF token has expired."),
    _l("The CSRF token is invalid."),
    _l("The CSRF tokens do not match."),
)


class _CatalogueTranslations:
    def gettext(self, string: str) -> str:
        return str(get_translations().gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(get_translations().ngettext(singular, plural, n))


class Form(FlaskForm):
    # Fixed (value, label) options per select field, set per instance: WTForms 3.3 warns about
    # tuples given to a field's constructor, and a lazy label must be read in the request.
    static_choices: ClassVar[dict[str, list[tuple[str, Any]]]] = {}

    class Meta:
        def get_translations(self, form: Any) -> _CatalogueTranslations:
            return _CatalogueTranslations()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in self.static_choices.items():
            getattr(self, name).choices = list(options)


class ActionForm(Form):
    """No fields: a button that changes something, with its CSRF token (any desk)."""


def too_long(limit: int) -> object:
    return _l("At most %(n)s characters.", n=f"{limit:,}".replace(",", "."))


def sensible_year(form: object, field: Field) -> None:
    """Dates and times: a typo like year 20226 gets a message, not a stored absurdity."""
    if field.data is not None and not 1900 <= field.data.year <= 2200:
        raise ValidationError(str(_l("Enter a year between 1900 and 2200.")))


def int_or_none(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") else None


def email_field(required: object, *validators: Any) -> EmailField:
    """The email box of every form: one line, 254 characters at most (RFC 5321)."""
    return EmailField(
        _l("Email"),
        filters=[clean_line],
        validators=[
            InputRequired(required),
            Length(max=254, message=_l("The email address is too long.")),
            *validators,
        ],
    )
