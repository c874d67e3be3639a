"""The one error services raise, and friendly error pages in the reader's language.

A service that refuses its input raises `FieldError(field, code)`: the form field at fault and
a short code, and the values a message quotes (`details`: the year read, the slug typed). It
never holds a sentence: the feature's forms (or a command's table) map codes to messages, so a
service reads the same from a view, a command or a test. tests/test_structure.py keeps every
`raise` of a service module to this type.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db


class FieldError(ValueError):
    """A change refused, nothing written; `field` names the form field, `code` says why."""

    def __init__(self, field: str, code: str, **details: object) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.details = details


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("Access denied"), _l("Your account does not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("The page you are looking for does not exist, has moved, or is not published yet."),
    ),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("Too large"),
        _l(
            "What you sent is larger than the site accepts. Go back, shorten the text or choose "
            "a smaller file, and send it again."
        ),
    ),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (
        _l("Something went wrong"),
        _l("The site ran into a problem. Nothing you sent was half-saved; please try again."),
    ),
}
CSRF_MESSAGE = (
    _l("The form has expired"),
    _l("For your security the form expired. Go back, reload the page and send it again."),
)


def _render(code: int, title: object, message: object) -> tuple[str, int]:
    if request_ctx.url_adapter is None:  # a Host header no URL can be built for
        return render_template("errors/bare.html", code=code, title=title, message=message), code
    # After a server error the database may be the problem: the page then asks nothing of it.
    page = render_template(
        "errors/error.html", code=code, title=title, message=message, skip_db_nav=code >= 500
    )
    return page, code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return _render(400, *CSRF_MESSAGE)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        db.session.rollback()  # nothing half-written survives a crash
        return _render(500, *MESSAGES[500])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, message = MESSAGES.get(code, (error.name, error.description))
        return _render(code, title, message)
