"""Account services: plain values in, one unit of work each."""

from __future__ import annotations

import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Role, User
from ..text import clean_line


@cache
def _dummy_hash() -> str:
    """Checked when the email is unknown, so a wrong email costs as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    return clean_line(email).lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(email: str, name: str, role: str, password: str) -> User:
    try:
        address = validate_email(clean_line(email), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AccountError(f"invalid email: {exc}") from exc
    if role not in set(Role):
        raise AccountError(f"role must be one of: {', '.join(r.value for r in Role)}")
    if not clean_line(name):
        raise AccountError("name is required")
    if len(password) < 12:
        raise AccountError("password must be at least 12 characters")
    if find_user(address) is not None:
        raise AccountError(f"a user with email {address} already exists")
    user = User(email=address.lower(), name=clean_line(name), role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
