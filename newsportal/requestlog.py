"""One log line and one metrics sample per request, and the request id on every response.

A WSGI wrapper outside everything else (the page cache's fast path, the security headers), so
a page answered from the cache is counted and logged like any other. Flask fills in what only it
knows (the endpoint, a signed-in staff member's id) in the `Seen` kept in the WSGI environ; the
fast path names the endpoint it matched. The line is written when the server closes the
response (WSGI's `close()`), so its duration covers the body sent; Werkzeug's test client
closes it when a test asks for `buffered=True` or calls `response.close()`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, request
from werkzeug.wsgi import ClosingIterator

from . import logs, metrics

KEY = "newsportal.seen"
ENDPOINT_KEY = "newsportal.endpoint"  # set by pagecache.FastPath when it matched a view
log = logging.getLogger("newsportal.request")


@dataclass
class Seen:
    request_id: str
    endpoint: str | None = None
    user_id: int | None = None
    status: int = 0


class RequestLog:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started = time.perf_counter()
        seen = Seen(logs.request_id_from(environ.get("HTTP_X_REQUEST_ID")))
        environ[KEY] = seen
        logs.bind_request_id(seen.request_id)

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            seen.status = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-ID", seen.request_id))
            return start_response(status, headers, *exc)

        def finished() -> None:
            try:
                _record(environ, seen, time.perf_counter() - started)
            finally:
                logs.bind_request_id(None)

        try:
            body = self.app(environ, start)
        except BaseException:
            finished()
            raise
        return ClosingIterator(body, finished)


def _record(environ: dict[str, Any], seen: Seen, seconds: float) -> None:
    endpoint = seen.endpoint or environ.get(ENDPOINT_KEY) or metrics.UNMATCHED
    metrics.observe_request(endpoint, seen.status, seconds)
    fields: dict[str, Any] = {
        "method": environ.get("REQUEST_METHOD", ""),
        "path": environ.get("PATH_INFO", ""),  # never the query string: tokens, searches
        "status": seen.status,
        "duration_ms": round(seconds * 1000, 1),
        "endpoint": endpoint,
    }
    if seen.user_id is not None:
        fields["user_id"] = seen.user_id
    log.info(
        "%s %s %s",
        fields["method"],
        fields["path"],
        seen.status,
        extra={"fields": fields, "request_id": seen.request_id},
    )


def _note_endpoint_and_user() -> None:
    """Teardown: what Flask matched, and who was signed in (only if this request loaded them)."""
    seen = request.environ.get(KEY)
    if not isinstance(seen, Seen):
        return
    if request.url_rule is not None:
        seen.endpoint = request.url_rule.endpoint
    user = g.get("_login_user")  # Flask-Login's cache: never a query of its own
    if user is not None and getattr(user, "is_authenticated", False):
        seen.user_id = user.id


def register(app: Flask) -> None:
    """Call after security.register: outermost, so every answer is counted and logged."""
    app.teardown_request(lambda _error: _note_endpoint_and_user())
    app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]
