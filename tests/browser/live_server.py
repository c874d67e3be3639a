"""The real app served over HTTP from a thread, on a demo-loaded SQLite file, for Chromium."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from newsportal import create_app
from newsportal.articles import queries
from newsportal.extensions import db
from newsportal.models import Article

from ..conftest import PASSWORD

STAFF = {
    role: f"{role}@browser.example.org" for role in ("admin", "editor", "moderator", "reporter")
}
# What the lead's header will say; added only to responses without a policy, so these tests
# prove today that nothing on our pages needs inline script or style.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class LiveServer:
    url: str
    app: Flask
    slugs: dict[str, str] = field(default_factory=dict)

    def article_id(self, slug: str) -> int:
        with self.app.app_context():
            found = db.session.scalar(db.select(Article.id).where(Article.slug == slug))
            assert found is not None
            return found


def _strict_csp_unless_set(wsgi_app: Any) -> Any:
    """Outside the app, so that a policy the app sets itself always wins."""

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if not any(name.lower() == "content-security-policy" for name, _ in headers):
                headers = [*headers, ("Content-Security-Policy", STRICT_CSP)]
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app


def _closed_before_sent(wsgi_app: Any) -> Any:
    """Every body read and closed before the server writes it.

    werkzeug's development server drains the request socket before it calls the body's
    `close()`; when Chromium drops a connection (a favicon or picture it no longer wants), that
    read raises, `close()` is skipped and an open static file is left to the garbage collector,
    which reports it as a ResourceWarning in whichever test happens to run then.
    """

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        body = wsgi_app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return app


def start(root: Path) -> tuple[LiveServer, Callable[[], None]]:
    """The running server and how to stop it. CSRF, page cache and rate limits stay on."""
    # The port first: PUBLIC_URL must be the origin the browser sees, or the comment form's
    # same-origin check (comments/form_token.py) rightly refuses the page's own posts.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The README's pictures want the demo's full-size pictures; every other browser test reads
    # pages, not pixels, and small ones take a second instead of four to make.
    pictures = {} if os.environ.get("NEWSPORTAL_SCREENSHOTS") else {"DEMO_PICTURE_SIZE": [480, 300]}
    with pytest.MonkeyPatch.context() as env:
        for key in list(os.environ):
            if key.startswith("NEWSPORTAL_"):
                env.delenv(key)
        env.setenv("NEWSPORTAL_INSTANCE_PATH", str(root / "instance"))
        app = create_app(
            {
                "SECRET_KEY": "browser-tests-secret-key-long-enough-for-anything",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.db'}",
                "PUBLIC_URL": f"http://127.0.0.1:{port}",
                "WTF_CSRF_ENABLED": True,
                "RATELIMIT_ENABLED": True,
                "COMMENT_RATE_LIMIT": "1000 per minute",
                # A test types faster than any person: the anti-bot delay would hold it back.
                "COMMENT_MIN_SECONDS": 0,
                **pictures,
            }
        )
    app.wsgi_app = _closed_before_sent(_strict_csp_unless_set(app.wsgi_app))
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    accounts = [
        ["users", "create", email, "--name", role, "--role", role, "--password", PASSWORD]
        for role, email in STAFF.items()
    ]
    for args in (["demo", "load"], *accounts):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    live = LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    with app.app_context():
        newest = queries.latest(1, 1).items[0]
        live.slugs["article"] = newest.slug
        live.slugs["category"] = newest.category.slug if newest.category else ""
    assert all(live.slugs.values()), live.slugs

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()

    return live, stop
