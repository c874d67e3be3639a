"""Email: an outbox table emptied by `flask mail send`, the notices, the unsubscribe page."""

from __future__ import annotations

from flask import Flask

from ..extensions import mail
from . import views


def register(app: Flask) -> None:
    mail.init_app(app)
    app.register_blueprint(views.bp)
