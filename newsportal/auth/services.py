"""Account services: plain values in, one unit of work each."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache

from email_validator import EmailNotValidError, validate_email
from limits import RateLimitItem, RateLimitItemPerDay, parse
from limits.strategies import RateLimiter
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import security_log
from ..errors import FieldError
from ..extensions import db
from ..models import Role, SecurityEventKind, User
from ..models.users import password_hash_method
from ..text import clean_line
from .passwords import password_problem


@cache
def _dummy_hash(method: str) -> str:
    """Checked when the email is unknown, so a wrong email costs as long as a wrong password
    (made with the method real passwords are hashed with)."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def normalise_email(email: str) -> str:
    return clean_line(email).lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    return _check(find_user(email), password)[0]


def _check(user: User | None, password: str) -> tuple[User | None, str]:
    """The user if the password is theirs and the account active; else None and why."""
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password)
        return None, "unknown"
    if not user.check_password(password):
        return None, "wrong_password"
    if not user.active:
        return None, "inactive"
    return user, ""


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins allowed, counted in the rate-limit storage (Redis when shared).

    Failures are counted three ways, and no password is tried once one count is over:
    per account from one address (`per_pair`: that pair alone is refused, so a stranger's guesses
    never lock the owner out of their account from elsewhere), per address for every account
    (`per_ip`), and per account from every address (`per_account`, a botnet's ceiling: past it
    the account is refused from every address except those where it signed in within
    `known_days`). Refusals answer at once: nothing sleeps in a worker.
    """

    limiter: RateLimiter | None
    per_ip: str
    per_pair: str
    per_account: str
    secret: str
    known_days: int = 30


@dataclass(frozen=True)
class _Keys:
    ip: str
    pair: str
    account: str


def _throttle_keys(throttle: Throttle, email: str, ip: str) -> _Keys:
    # Keyed by HMACs: the rate-limit store should not hold addresses or who is being guessed.
    def digest(value: str) -> str:
        return hmac.new(throttle.secret.encode(), value.encode(), hashlib.sha256).hexdigest()

    account = normalise_email(email)
    return _Keys(
        ip=digest("ip:" + ip),
        pair=digest(f"pair:{account}\n{ip}"),
        account=digest("account:" + account),
    )


def _known(throttle: Throttle) -> RateLimitItem:
    # "Signed in from here" is one hit of a one-a-period limit: a spent limit means a known place.
    return RateLimitItemPerDay(1, throttle.known_days)


def _may_try(limiter: RateLimiter, throttle: Throttle, keys: _Keys) -> bool:
    if not limiter.test(parse(throttle.per_ip), "login", keys.ip):
        return False
    if not limiter.test(parse(throttle.per_pair), "login-pair", keys.pair):
        return False
    if limiter.test(parse(throttle.per_account), "login", keys.account):
        return True
    return not limiter.test(_known(throttle), "login-known", keys.pair)  # past the ceiling


def sign_in(email: str, password: str, ip: str, throttle: Throttle) -> User | None:
    """The credentials checked behind the throttle: failures count, whether or not the account
    exists; each try that reached a password check is a security event (a throttled one is not:
    no password was tried, and a flood of them must not fill the log)."""
    limiter = throttle.limiter
    keys = _throttle_keys(throttle, email, ip)
    if limiter is not None and not _may_try(limiter, throttle, keys):
        raise FieldError("password", "throttled")  # no password was tried
    account = find_user(email)
    user, why = _check(account, password)
    if user is not None:
        security_log.record(SecurityEventKind.SIGN_IN, user.id, user.id)
    elif account is not None:
        security_log.record(SecurityEventKind.SIGN_IN_FAILED, None, account.id, why)
    else:
        tag = security_log.unknown_account_tag(normalise_email(email), throttle.secret)
        security_log.record(SecurityEventKind.SIGN_IN_FAILED, None, None, tag)
    db.session.commit()
    if limiter is None:
        return user
    if user is None:
        limiter.hit(parse(throttle.per_ip), "login", keys.ip)
        limiter.hit(parse(throttle.per_pair), "login-pair", keys.pair)
        limiter.hit(parse(throttle.per_account), "login", keys.account)
    else:
        limiter.clear(parse(throttle.per_pair), "login-pair", keys.pair)  # the owner's typos
        limiter.clear(_known(throttle), "login-known", keys.pair)  # known for known_days from now
        limiter.hit(_known(throttle), "login-known", keys.pair)
    return user


def end_sessions(user_id: int) -> None:
    """Sign this account out everywhere (signing out, or an admin's action)."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.end_sessions()
        db.session.commit()


def create_user(
    email: str, name: str, role: str, password: str, acting_id: int | None = None
) -> User:
    """`acting_id`: the administrator creating it (None: the command line)."""
    try:
        address = validate_email(clean_line(email), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise FieldError("email", "invalid_email") from exc
    _check_role(role)
    if not clean_line(name):
        raise FieldError("name", "required")
    if (problem := password_problem(password, address, name)) is not None:
        raise FieldError("password", problem)
    if find_user(address) is not None:
        raise FieldError("email", "taken")
    user = User(email=address.lower(), name=clean_line(name), role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()  # its id, for the event
    security_log.record(SecurityEventKind.ACCOUNT_CREATED, acting_id, user.id, role)
    db.session.commit()
    return user


def set_password(user_id: int, password: str, acting_id: int | None = None) -> User:
    """A new password; every session of the account ends with the old one."""
    user = _account(user_id)
    if (problem := password_problem(password, user.email, user.name)) is not None:
        raise FieldError("password", problem)
    user.set_password(password)
    security_log.record(SecurityEventKind.PASSWORD_CHANGED, acting_id, user.id)
    db.session.commit()
    return user


def set_active(user_id: int, active: bool, acting_id: int | None) -> User:
    """Deactivating ends the account's sessions at once; nobody can lock themselves out.

    `acting_id`: the admin doing it, None from the command line (an operator, no account)."""
    user = _account(user_id)
    if user_id == acting_id and not active:
        raise FieldError("user", "self_deactivate")
    if user.active != active:
        kind = SecurityEventKind.ACTIVATED if active else SecurityEventKind.DEACTIVATED
        security_log.record(kind, acting_id, user.id)
    user.active = active
    if not active:
        user.end_sessions()
    db.session.commit()
    return user


def set_role(user_id: int, role: str, acting_id: int) -> User:
    user = _account(user_id)
    _check_role(role)
    if user_id == acting_id and role != Role.ADMIN:
        raise FieldError("role", "self_demote")
    if user.role != role:
        change = f"{user.role} -> {role}"
        security_log.record(SecurityEventKind.ROLE_CHANGED, acting_id, user.id, change)
    user.role = role
    db.session.commit()
    return user


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise FieldError("role", "unknown_role")


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise FieldError("user", "unknown_user")
    return user
