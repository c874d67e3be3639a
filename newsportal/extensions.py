"""Extension singletons, bound to an app in create_app()."""

from flask import current_app, request, session
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_login.config import COOKIE_NAME
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class StaffLoginManager(LoginManager):
    """Session protection for sessions that hold a sign-in, and only those.

    Flask-Login checks every non-empty session: an anonymous reader's (a language choice)
    gets `_fresh = False` written into it, so their page was not stored (pagecache.py) and a
    cached page sent them a cookie. With nobody signed in there is nothing to protect.
    """

    def _session_protection_failed(self) -> bool:
        cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        if "_user_id" not in session and cookie not in request.cookies:
            return False
        return bool(super()._session_protection_failed())


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login_manager = StaffLoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
cache = Cache()  # reader pages: in-process, or Redis when NEWSPORTAL_REDIS_URL is set
mail = Mail()  # outgoing email; only mail/outbox.py sends, from the outbox table
