"""Request limits and bad input, handled once for every view.

- Body size: a view marked `@upload_form` may receive up to MAX_CONTENT_LENGTH, one marked
  `@public_form` (comment, login) PUBLIC_FORM_MAX_BYTES, every other form MAX_FORM_BYTES. The
  view declares it, so no list of endpoints is kept here. Past it: the friendly 413 page.
- Numbers from URLs and query strings: only ASCII digits within what the database's integer
  holds ("²" passes str.isdigit() but not int(); 10**30 overflows SQLite and PostgreSQL).
- Control characters (NUL among them: PostgreSQL refuses it in text) are dropped from query
  strings, as form fields drop them in their filters (text.nfc), so a search still answers; a
  path with a NUL is a 400 page, since no address of ours holds one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import flask
from flask import Flask, abort, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from .text import without_controls

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer`, the type of every id column
BODY_LIMIT = "body_limit"  # the attribute a marked view carries: the config key of its limit
# Views of the information-page lists that carry files, until they declare @upload_form (they
# belong to the content core being rewritten); the list is to go, not to grow.
UNDECLARED_UPLOADS = frozenset({"lists_desk.new", "lists_desk.edit"})
View = TypeVar("View", bound=Callable[..., Any])


def _body_limit(key: str) -> Callable[[View], View]:
    def mark(view: View) -> View:
        setattr(view, BODY_LIMIT, key)
        return view

    return mark


upload_form = _body_limit("MAX_CONTENT_LENGTH")  # a form that carries files
public_form = _body_limit("PUBLIC_FORM_MAX_BYTES")  # a form any reader may send


def query_int(value: str) -> int:
    """`type=` for request.args.get: a ValueError (so the default) unless a usable integer."""
    if not (value.isascii() and value.isdigit()) or int(value) > DB_INT_MAX:
        raise ValueError(value)
    return int(value)


def page_number() -> int:
    """`?page=` of a staff list: 1 unless a usable number of at least 1."""
    return max(request.args.get("page", 1, type=query_int), 1)


def ids(values: Iterable[str]) -> list[int]:
    """The integers among submitted ids (checkboxes); anything else is ignored."""
    found = []
    for value in values:
        try:
            found.append(query_int(value))
        except ValueError:
            continue
    return found


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` in a route: a number no row can have is a 404, not a database error."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


class Request(flask.Request):
    """Query arguments without control characters; body limits per kind of endpoint."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        items = super().args.items(multi=True)
        return self.parameter_storage_class(
            (without_controls(key), without_controls(value)) for key, value in items
        )

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None or not current_app:
            return super().max_content_length
        if self.endpoint in UNDECLARED_UPLOADS:
            return current_app.config["MAX_CONTENT_LENGTH"]
        view = current_app.view_functions.get(self.endpoint or "")
        return current_app.config[getattr(view, BODY_LIMIT, "MAX_FORM_BYTES")]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def refuse_nul() -> None:
    if "\x00" in request.path:
        abort(400)


def register(app: Flask) -> None:
    """Before any blueprint: converters are bound when a route is added."""
    app.request_class = Request
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(refuse_nul)
