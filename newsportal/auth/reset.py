"""A forgotten staff password: a link by email that works once, for PASSWORD_RESET_MINUTES.

The link's token is signed (itsdangerous, the site's signing keys) and carries the account id
and a digest of its current password hash: setting any new password changes the hash, so a
used link, or one sent before the password changed, no longer matches. Asking answers the same
whether or not the address is an account's, and is throttled per address and per typed email
in the rate-limit storage, so nobody can use the form to find accounts or to flood someone's
inbox. A new password ends every session of the account (User.set_password).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from limits.strategies import RateLimiter

from .. import security_log
from ..errors import FieldError
from ..extensions import db
from ..mail import services as mail
from ..models import SecurityEventKind, User
from ..urls import public_link
from .passwords import password_problem
from .services import find_user, normalise_email

SALT = "password-reset"


@dataclass(frozen=True)
class ResetPolicy:
    keys: list[str]  # signing keys: every one verifies, the last signs
    minutes: int
    secret: str  # IP_HASH_KEY: the throttle's keys and the log's tag for an unknown address
    rate_limit: str = "5 per hour"
    limiter: RateLimiter | None = None


def _serializer(keys: list[str]) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(keys, salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"reset:{user.password_hash}".encode()).hexdigest()[:32]


def token_for(user: User, keys: list[str]) -> str:
    """The link's token: the account and a digest of its password hash, signed and timed."""
    return str(_serializer(keys).dumps({"u": user.id, "f": _fingerprint(user)}))


def _keys(policy: ResetPolicy, email: str, ip: str) -> list[str]:
    def digest(value: str) -> str:
        return hmac.new(policy.secret.encode(), value.encode(), hashlib.sha256).hexdigest()

    return [digest("reset-ip:" + ip), digest("reset-account:" + normalise_email(email))]


def _within_rate(policy: ResetPolicy, email: str, ip: str) -> bool:
    if policy.limiter is None:
        return True
    item = parse(policy.rate_limit)
    keys = _keys(policy, email, ip)
    if not all(policy.limiter.test(item, "password-reset", key) for key in keys):
        return False
    for key in keys:
        policy.limiter.hit(item, "password-reset", key)
    return True


def request_reset(email: str, ip: str, policy: ResetPolicy) -> None:
    """Email a reset link if `email` is an active account's; the same for any other address."""
    if not _within_rate(policy, email, ip):
        raise FieldError("email", "throttled")
    user = find_user(email)
    if user is not None and user.active:
        link = public_link("auth.reset_password", token=token_for(user, policy.keys))
        mail.password_reset(user, link, policy.minutes)
        security_log.record(SecurityEventKind.PASSWORD_RESET_REQUESTED, None, user.id)
    else:
        tag = security_log.unknown_account_tag(normalise_email(email), policy.secret)
        account = user.id if user is not None else None
        security_log.record(SecurityEventKind.PASSWORD_RESET_REQUESTED, None, account, tag)
    db.session.commit()


def account_for(token: str, policy: ResetPolicy) -> User | None:
    """The active account whose link this is, while it is fresh and unused; else None."""
    try:
        data = _serializer(policy.keys).loads(token, max_age=policy.minutes * 60)
    except BadSignature:  # SignatureExpired too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(str(data.get("f", "")), _fingerprint(user)) else None


def reset_password(token: str, password: str, policy: ResetPolicy) -> User:
    """Set the new password through the link; every session of the account ends."""
    user = account_for(token, policy)
    if user is None:
        raise FieldError("token", "invalid_token")
    if (problem := password_problem(password, user.email, user.name)) is not None:
        raise FieldError("password", problem)
    user.set_password(password)
    security_log.record(SecurityEventKind.PASSWORD_RESET, None, user.id)
    db.session.commit()
    return user
