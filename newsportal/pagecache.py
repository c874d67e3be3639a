"""Reader pages for anonymous readers: cached whole, validated, and safe to share.

A page is cached under (content version, language, URL): any public change raises the version
(content_version.py), so an old page is never served after a change, on any server. Every
reader page gets an ETag and a Last-Modified, and a conditional GET answers 304.

Only a page that is the same for every reader is shared: none for a signed-in user, a reader
with a message waiting or a comment of their own awaiting moderation. Those get `private,
no-store`. Shared pages carry no CSRF token: the comment form fetches one for its reader
(`/comments/token`, static/js/comment-token.js), so a cached page still submits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from . import content_version
from .extensions import cache

PRIVATE = "private, no-store"
KEPT_HEADERS = ("Content-Disposition", "Content-Language")


def shareable() -> bool:
    """Whether this request's page is the same for everyone who asks for this URL."""
    if request.method not in ("GET", "HEAD"):
        return False
    if current_user.is_authenticated:
        return False
    return not (session.get("_flashes") or session.get("own_comments"))


def cached_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Serve a reader view from the page cache when the page is shareable."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        if not shareable():
            response = current_app.make_response(view(*args, **kwargs))
            response.headers["Cache-Control"] = PRIVATE
            return response
        g.shared_page = True  # templates leave per-reader tokens out
        state = content_version.current()
        # changed_at too: a database restored from a backup reuses version numbers.
        stamp = state.changed_at.timestamp()
        key = f"page:{state.version}:{stamp}:{get_locale()}:{request.full_path}"
        enabled = current_app.config["PAGE_CACHE_ENABLED"]
        entry = cache.get(key) if enabled else None
        if entry is None:
            rendered = current_app.make_response(view(*args, **kwargs))
            if rendered.status_code != 200 or session.modified:
                rendered.headers["Cache-Control"] = PRIVATE
                return rendered
            body = rendered.get_data()
            kept = {k: v for k, v in rendered.headers.items() if k in KEPT_HEADERS}
            entry = (body, rendered.mimetype, hashlib.sha256(body).hexdigest()[:32], kept)
            if enabled:
                cache.set(key, entry, timeout=current_app.config["PAGE_CACHE_SECONDS"])
        body, mimetype, etag, kept = entry
        response = Response(body, mimetype=mimetype, headers=kept)
        response.set_etag(etag)
        response.last_modified = state.changed_at
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["HTTP_CACHE_MAX_AGE"]
        response.vary.add("Cookie")  # the language choice lives in the session cookie
        response.make_conditional(request)  # 304 and no body when the reader has it already
        return response

    return wrapper


def register(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    cache.init_app(
        app,
        config={
            "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": app.config["PAGE_CACHE_PREFIX"],
            "CACHE_THRESHOLD": app.config["PAGE_CACHE_ENTRIES"],
            "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
        },
    )

    @app.context_processor
    def shared_page_flag() -> dict[str, bool]:
        return {"shared_page": bool(g.get("shared_page"))}
