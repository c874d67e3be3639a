"""Language and time display. Vietnamese unless the reader picked English with ?lang=en."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from babel.units import format_unit
from flask import Flask, current_app, request, session
from flask_babel import format_date, get_locale

from .extensions import babel
from .text import local_today, to_local


def select_locale() -> str:
    # Accept-Language is ignored on purpose: a provincial portal speaks Vietnamese by default.
    choice = session.get("lang")
    return str(choice) if choice in current_app.config["LANGUAGES"] else "vi"


def remember_language_choice() -> None:
    choice = request.args.get("lang")
    # Written only when it changes: a link that keeps ?lang= must not re-sign the cookie each time.
    if choice in current_app.config["LANGUAGES"] and session.get("lang") != choice:
        session["lang"] = choice


# Decimal units as Jinja's filesizeformat counted them; CLDR names them per language.
_SIZE_UNITS = ("digital-kilobyte", "digital-megabyte", "digital-gigabyte", "digital-terabyte")


def file_size(size: int) -> str:
    """A file size in the reader's language: "1,5 kB" in Vietnamese, "1.5 kB" in English."""
    locale = get_locale()
    if size < 1000:
        # The long form: the short CLDR symbol for bytes is "byte" even in English.
        return str(format_unit(size, "digital-byte", length="long", locale=locale))
    value = float(size)
    for unit in _SIZE_UNITS:
        value /= 1000
        if value < 1000 or unit == _SIZE_UNITS[-1]:
            break
    return str(format_unit(value, unit, length="short", format="#,##0.#", locale=locale))


def url_with_lang(lang: str) -> str:
    """The current URL with ?lang= set, keeping the other query arguments."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", lang))
    return f"{request.path}?{urlencode(args)}"


def url_with_page(page: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "lang")]
    if page > 1:
        args.append(("page", str(page)))
    return f"{request.path}?{urlencode(args)}" if args else request.path


def weekday(value: datetime) -> str:
    """The day of the week in the reader's language ("Chủ Nhật", "Sunday")."""
    return str(format_date(to_local(value).date(), "EEEE"))


def today_line() -> str:
    """The header's date line, "Thứ Tư, 02/12/2026" / "Wednesday, 02/12/2026", in Vietnam."""
    today = local_today()
    return f"{format_date(today, 'EEEE')}, {today:%d/%m/%Y}"


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_language_choice)
