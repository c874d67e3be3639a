"""Which Host a request may name in production, checked before the page cache or Flask runs.

Flask's own TRUSTED_HOSTS check runs as Flask starts a request, after `pagecache.FastPath` may
have answered from the cache; this WSGI wrapper sits outside it, so a request for another host
gets a plain 400 and reads or writes no cache. Health probes sent from the machine itself name
whatever address they dialled, so their paths are let through, as if sent to the public host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, render_template
from werkzeug.sansio.utils import host_is_trusted

from .errors import MESSAGES

# Answers that do not depend on the Host; README "Running in production" names them.
PROBE_PATHS = frozenset({"/healthz", "/healthz/ready", "/metrics"})


def parse_hosts(value: object) -> list[str]:
    """NEWSPORTAL_TRUSTED_HOSTS: a JSON list of host names (".example.org" takes its subdomains)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError('it must be a JSON list of host names, such as ["portal.internal"]')
    hosts = [v.strip().lower() for v in value]
    for host in hosts:
        if not host_is_trusted(host.removeprefix(".")):
            raise ValueError(f"{host!r} is not a host name")
    return hosts


class HostGuard:
    """WSGI middleware: 400 for a Host outside `allowed` (Werkzeug's matching: port ignored)."""

    def __init__(self, app: Flask, allowed: list[str]) -> None:
        self.flask = app
        self.next = app.wsgi_app
        self.allowed = allowed
        self.public_netloc = urlsplit(str(app.config["PUBLIC_URL"])).netloc
        self.page: bytes | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if host_is_trusted(environ.get("HTTP_HOST"), self.allowed):
            return self.next(environ, start_response)
        if environ.get("PATH_INFO") in PROBE_PATHS:
            # Flask checks TRUSTED_HOSTS too; a probe's answer is the same whatever it dialled.
            environ["HTTP_HOST"] = self.public_netloc
            return self.next(environ, start_response)
        body = self._page()
        start_response(
            "400 BAD REQUEST",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

    def _page(self) -> bytes:
        """The site's own bare 400 page, in Vietnamese; rendered once, on the first refusal."""
        if self.page is None:
            title, message = MESSAGES[400]
            base = str(self.flask.config["PUBLIC_URL"])
            with self.flask.test_request_context("/", base_url=base):
                html = render_template("errors/bare.html", code=400, title=title, message=message)
            self.page = html.encode()
        return self.page


def register(app: Flask) -> None:
    """Production only: development answers on localhost, 127.0.0.1 or any name a developer uses."""
    allowed = app.config.get("TRUSTED_HOSTS")
    if app.config["ENV"] == "production" and allowed:
        app.wsgi_app = HostGuard(app, list(allowed))  # type: ignore[method-assign]
