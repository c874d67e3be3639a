"""The comment form's token on a page shared by every reader: no session needed.

A cached article page is the same bytes for everyone, so it cannot hold a reader's session CSRF
token (making one writes the session). It holds instead a signature over the article and the
form's timestamp: the same for every reader of that page, useless on another article, and no
older than the timestamp's own limit (COMMENT_FORM_MAX_AGE). Being shared, it proves nothing
about who sends it, so it is accepted only with the browser's word that the post comes from our
own pages: `Sec-Fetch-Site: same-origin`, or an `Origin` equal to PUBLIC_URL. A browser sends one
of them on every form POST and a page on another site cannot forge either; a client that sends
neither gets the form back, as typed, with a session token, and its next send goes through.

With JavaScript, comment-token.js swaps this token for a session one (and a fresh timestamp)
as the page loads; either passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from itsdangerous import BadSignature, Signer

_SALT = "comment-form-shared-token"


class Headers(Protocol):
    def get(self, key: str) -> str | None: ...


PREFIX = "shared."  # a session token (Flask-WTF's) never starts with this


def issue(secret: str | Sequence[str], article_id: int, ts: str) -> str:
    """The token for the form of `article_id` whose timestamp field holds `ts`."""
    return PREFIX + Signer(secret, salt=_SALT).sign(f"{article_id}|{ts}").decode()


def is_shared(token: str | None) -> bool:
    return bool(token) and str(token).startswith(PREFIX)


def valid(secret: str | Sequence[str], token: str | None, article_id: int, ts: str | None) -> bool:
    """Signed by one of our keys, for this article and this form timestamp.

    The timestamp's age is the pipeline's to judge (stamp.age): a token is never older than it."""
    if not is_shared(token) or not ts:
        return False
    try:
        signed = Signer(secret, salt=_SALT).unsign(str(token)[len(PREFIX) :]).decode()
    except (BadSignature, UnicodeDecodeError):
        return False
    return signed == f"{article_id}|{ts}"


def same_origin(headers: Headers, public_origin: str) -> bool:
    """The browser says the post comes from one of our pages (never judged by the Host header)."""
    fetch_site = headers.get("Sec-Fetch-Site")
    origin = headers.get("Origin")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    if origin is not None and origin.rstrip("/").lower() != public_origin.lower():
        return False
    return fetch_site == "same-origin" or origin is not None
