"""Security headers on every response, including pages the page cache answers before Flask runs.

A WSGI wrapper rather than an after_request hook: cached reader pages (pagecache.FastPath), static
files and error pages all pass through it. A header a view set itself (the sandbox CSP on uploads
and PDFs) is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import hosts

# No inline script or style anywhere: scripts and stylesheets come from /static. Pictures in an
# article body may be any https address an editor linked (markup.py allows http/https only).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def headers_for(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    csp = str(config["CONTENT_SECURITY_POLICY"])
    production = config["ENV"] == "production"
    if production:
        csp += "; upgrade-insecure-requests"
    headers = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if production:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


class SecurityHeaders:
    """WSGI middleware adding `headers` to each response that does not already carry them."""

    def __init__(self, app: Callable[..., Iterable[bytes]], headers: list[tuple[str, str]]):
        self.app = app
        self.headers = headers

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        def start(status: str, response_headers: list[tuple[str, str]], *exc: Any) -> Any:
            present = {name.lower() for name, _ in response_headers}
            response_headers.extend(h for h in self.headers if h[0].lower() not in present)
            return start_response(status, response_headers, *exc)

        return self.app(environ, start)


def register(app: Flask) -> None:
    """Call last in create_app, so the wrapper sits outside the page cache's fast path."""
    hops = int(app.config["PROXY_HOPS"] or 0)
    if hops:
        # Rate limits and the sign-in throttle count per reader address, not per proxy: trust
        # X-Forwarded-For/-Proto from exactly this many proxies in front, never from anyone else.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    hosts.register(app)  # outside the page cache: a refused Host reads and writes no cache
    app.wsgi_app = SecurityHeaders(app.wsgi_app, headers_for(app.config))  # type: ignore[method-assign]
