"""Every filter and global the templates use, registered in one place.

Feature-specific context processors that query the database (the menu, the moderation badge)
stay with their feature: they are called only by the templates that need them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from . import markup
from .i18n import file_size, today_line, url_with_lang, url_with_page, weekday
from .pages import forms as page_forms
from .text import display_clock, display_date, display_time, iso_time, slugify
from .urls import absolute_url


def commenter(name: str | None) -> str:
    """A commenter's name as shown; an erased one (None) in the reader's language."""
    return name if name is not None else _("Anonymous")


FILTERS = {
    "commenter": commenter,
    "vntime": display_time,
    "isotime": iso_time,
    "timestamp": markup.timestamp,
    "vndate": display_date,
    "vnclock": display_clock,
    "vnweekday": weekday,
    "slugify": slugify,
    "thousands": format_decimal,
    # Replaces Jinja's own, which writes English ("594 Bytes", "1.5 kB") whatever the language.
    "filesizeformat": file_size,
}


def current_language() -> str:
    return str(get_locale())


def _labeller(choices: list[tuple[str, Any]]) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value))


GLOBALS = {
    "url_with_lang": url_with_lang,
    "url_with_page": url_with_page,
    "current_language": current_language,
    "absolute_url": absolute_url,
    "today_line": today_line,
    "highlight": markup.highlight,
    # Information pages show the same words the desk's forms offer.
    "session_status_label": _labeller(page_forms.SESSION_STATUSES),
    "reception_mode_label": _labeller(page_forms.MODES),
    "result_kind_label": _labeller(page_forms.RESULT_KINDS),
    "document_kind_label": _labeller(page_forms.DOCUMENT_KINDS),
    "page_block_label": _labeller(page_forms.BLOCKS),
}


def shared_page_flag() -> dict[str, bool]:
    """Templates leave per-reader tokens out of a page shared by every reader (pagecache)."""
    return {"shared_page": bool(g.get("shared_page"))}


def register(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
    app.context_processor(shared_page_flag)
