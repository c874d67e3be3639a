"""Absolute URLs: the configured public origin plus a path, never the request's Host or scheme.

Pages, feeds and the sitemap are cached and shared, so anything a reader sends (Host,
X-Forwarded-Proto) would otherwise end up in what every later reader gets. `PUBLIC_URL` is the
one place the site's address comes from.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, request, url_for
from werkzeug.routing import RequestRedirect
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wrappers import Response

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origin(value: object) -> str:
    """`scheme://host[:port]`, lower case, without the default port; ValueError if it is not one."""
    if not isinstance(value, str):
        raise ValueError("it must be a text value such as https://portal.example.gov.vn")
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise ValueError("it must start with https:// (or http://)")
    if parts.username is not None or parts.password is not None:
        raise ValueError("it must not hold a user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in value or "#" in value:
        raise ValueError("it must be an origin only: no path, query or fragment")
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise ValueError(f"its host or port cannot be read ({error})") from None
    if ":" in host:
        host = f"[{host}]"
    if not host or not host_is_trusted(host):
        raise ValueError("it needs a host name")
    scheme = parts.scheme.lower()
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def origin_host(origin: str) -> str:
    """The host name of an origin from `parse_origin` (no port): what Host headers must name."""
    host = urlsplit(origin).hostname or ""
    return f"[{host}]" if ":" in host else host


def absolute_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` made absolute on the public origin."""
    return str(current_app.config["PUBLIC_URL"]) + url_for(endpoint, **values)


def public_link(endpoint: str, **values: Any) -> str:
    """An absolute URL on the public origin, inside a request or not (emails, commands)."""
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    return str(current_app.config["PUBLIC_URL"]) + adapter.build(endpoint, values)


def public_host() -> str:
    """The public origin's host name, for identifiers that must not change (iCalendar UIDs)."""
    return origin_host(str(current_app.config["PUBLIC_URL"]))


def routing_redirects_stay_relative(response: Response) -> Response:
    """Werkzeug's own redirects (`/editor` to `/editor/`) name the request's host: drop it."""
    if isinstance(request.routing_exception, RequestRedirect) and response.location:
        parts = urlsplit(response.location)
        response.location = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return response


def register(app: Flask) -> None:
    app.after_request(routing_redirects_stay_relative)
