"""The site's keys: the one that signs (sessions, CSRF tokens, the comment form's stamp), the old
ones that still verify after a rotation, and the one that hashes readers' addresses.

Rotating the signing key: set the new NEWSPORTAL_SECRET_KEY and put the old one in
NEWSPORTAL_SECRET_KEY_FALLBACKS (comma-separated, or a JSON list); cookies, open forms and their
tokens made with it still verify, and everything newly signed uses the new key. Drop the old key
once its sessions have ended (a day or two). itsdangerous's key list is the mechanism throughout:
Flask 3.1 passes SECRET_KEY_FALLBACKS to it for the session; Flask-WTF (1.3) reads a single
WTF_CSRF_SECRET_KEY, which it hands to the same itsdangerous serializer, so a list there makes
CSRF tokens signed with an old key still validate.

The address key (IP_HASH_KEY) is apart so that rotating the signing key does not change every
stored address hash: blocked-address rules, comments' hashes and the sign-in throttle keep
matching. It defaults to SECRET_KEY, which is what hashed them until it became its own setting;
before rotating SECRET_KEY for the first time, set NEWSPORTAL_IP_HASH_KEY to the current key.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any


def apply(config: MutableMapping[str, Any]) -> None:
    """Normalise the key settings once SECRET_KEY is known (load_config)."""
    fallbacks = parse_fallbacks(config.get("SECRET_KEY_FALLBACKS"))
    # Never a bare string: Flask would extend its key list with every character of it.
    config["SECRET_KEY_FALLBACKS"] = fallbacks
    if not config.get("IP_HASH_KEY"):
        config["IP_HASH_KEY"] = str(config["SECRET_KEY"])
    config["IP_HASH_KEY"] = str(config["IP_HASH_KEY"])
    if fallbacks and not config.get("WTF_CSRF_SECRET_KEY"):
        config["WTF_CSRF_SECRET_KEY"] = signing_keys(config)


def parse_fallbacks(value: Any) -> list[str]:
    """`old2,old1` (an environment variable) or a list; empty entries are dropped."""
    if not value:
        return []
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return [str(item).strip() for item in items if str(item).strip()]


def signing_keys(config: MutableMapping[str, Any]) -> list[str]:
    """For itsdangerous: every key verifies, the last (the current SECRET_KEY) signs."""
    return [*config.get("SECRET_KEY_FALLBACKS", []), str(config["SECRET_KEY"])]
