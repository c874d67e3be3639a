"""Language and time display. Vietnamese unless the reader picked English with ?lang=en."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, current_app, request, session
from flask_babel import format_date

from .extensions import babel
from .text import to_local


def select_locale() -> str:
    # Accept-Language is ignored on purpose: a provincial portal speaks Vietnamese by default.
    choice = session.get("lang")
    return str(choice) if choice in current_app.config["LANGUAGES"] else "vi"


def remember_language_choice() -> None:
    choice = request.args.get("lang")
    if choice in current_app.config["LANGUAGES"]:
        session["lang"] = choice


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


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_language_choice)
