"""The base for every form: WTForms' own messages go through our catalogues, so a Vietnamese
page never shows "Not a valid datetime value." in English (WTForms ships no Vietnamese)."""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

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
    class Meta:
        def get_translations(self, form: Any) -> _CatalogueTranslations:
            return _CatalogueTranslations()
