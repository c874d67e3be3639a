"""Staff accounts and their roles."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"
    # Writes and submits articles for review; an editor publishes them.
    REPORTER = "reporter"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def password_hash_method() -> str:
    """The app's PASSWORD_HASH_METHOD (scrypt unless configured otherwise)."""
    return str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


class User(PrivateContent, UserMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Part of the id kept in the signed session cookie. Sessions are cookies the server does not
    # store, so a new token is how signing out, a new password or deactivation ends every copy.
    session_token: Mapped[str] = mapped_column(
        String(64), default=new_session_token, server_default=""
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def owns_session(self, token: str) -> bool:
        return bool(self.session_token) and hmac.compare_digest(self.session_token, token)

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
