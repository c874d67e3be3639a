"""How long a shared cache in front (deploy/nginx's proxy_cache, a CDN) may keep a page.

The app's own servers never serve a page older than the data (pagecache.py). A shared cache
in front cannot know when the data changes, so every `public` answer that is not `immutable`
(reader pages, feeds, result PDFs) carries `s-maxage=PROXY_MAX_AGE`: the proxy keeps it at
most that long, then revalidates with the page's ETag (a 304 costs the app one cache lookup).
That is the promise deploy/README.md states: a change (an approved comment, an unpublished
article) reaches every reader through the proxy within PROXY_MAX_AGE seconds, plus the one
second nginx rounds to (it counts whole seconds). Browsers keep
their own copy for max-age (HTTP_CACHE_MAX_AGE), as before.

A WSGI wrapper around the page cache's fast path, so cached pages answered before Flask runs
carry it too. It has the last word on every answer's Cache-Control, so it also keeps the rule
that a public answer never sets a cookie: one that does (whatever wrote the session) is the
reader's own, `private, no-store`, and no shared cache hands that cookie to someone else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

PRIVATE = "private, no-store"


def _directives(cache_control: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in cache_control.split(",")}


def is_public(cache_control: str) -> bool:
    return "public" in _directives(cache_control)


def with_shared_max_age(cache_control: str, seconds: int) -> str:
    """`cache_control` with s-maxage added when a shared cache may store the answer."""
    directives = _directives(cache_control)
    if "public" not in directives or directives & {"immutable", "s-maxage"}:
        return cache_control
    return f"{cache_control}, s-maxage={seconds}"


class SharedMaxAge:
    def __init__(self, app: Flask) -> None:
        self.config = app.config  # read per answer, as HTTP_CACHE_MAX_AGE is
        self.app = app.wsgi_app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        seconds = int(self.config["PROXY_MAX_AGE"])

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            sets_cookie = any(name.lower() == "set-cookie" for name, _ in headers)
            for index, (name, value) in enumerate(headers):
                if name.lower() == "cache-control":
                    value = PRIVATE if sets_cookie and is_public(value) else value
                    headers[index] = (name, with_shared_max_age(value, seconds))
            return start_response(status, headers, *exc)

        return self.app(environ, start)


def register(app: Flask) -> None:
    """Right after pagecache.register: outside its fast path, inside the security headers."""
    app.wsgi_app = SharedMaxAge(app)  # type: ignore[method-assign]
