"""The comment form's signed issue time: too fast means a bot, too old means re-send."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta

from itsdangerous import BadSignature, Signer

_SALT = "comment-form-issued"


def issue(secret: str | Sequence[str], head_start: float = 0) -> str:
    """A signed timestamp. `head_start` counts time already spent (a form shown again).

    `secret`: a key, or keys.signing_keys() (the last signs, every one verifies: a form opened
    before a key rotation still sends)."""
    return Signer(secret, salt=_SALT).sign(str(int(time.time() - head_start))).decode()


def age(secret: str | Sequence[str], value: str | None, max_age: float) -> timedelta | None:
    """How long ago the form was issued; None when missing, forged or older than max_age."""
    if not value:
        return None
    try:
        issued = int(Signer(secret, salt=_SALT).unsign(value).decode())
    except (BadSignature, ValueError, UnicodeDecodeError):
        return None
    seconds = time.time() - issued
    if seconds < -60 or seconds > max_age:
        return None
    return timedelta(seconds=max(seconds, 0))
