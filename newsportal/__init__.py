"""newsportal: news and moderated comments for a Vietnamese provincial portal."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    instance = os.environ.get("NEWSPORTAL_INSTANCE_PATH", str(ROOT / "instance"))
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=instance,
    )
    from . import (
        auth,
        cli,
        database,
        errors,
        health,
        i18n,
        pagecache,
        ratelimits,
        request_limits,
        security,
        urls,
    )
    from .articles import categories, editor, reader
    from .comments import desk
    from .comments import views as comment_views
    from .config import load_config
    from .extensions import limiter
    from .media import views as media_views
    from .pages import desk as pages_desk
    from .pages import lists_desk
    from .pages import views as pages
    from .search import views as search_views
    from .syndication import views as syndication_views

    load_config(app, config)
    request_limits.register(app)
    database.register(app)
    health.register(app)
    pagecache.register(app)
    auth.register(app)
    i18n.register(app)
    urls.register(app)
    app.register_blueprint(reader.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(categories.bp)
    limiter.init_app(app)
    ratelimits.register(app)
    app.register_blueprint(comment_views.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(pages_desk.bp)
    app.register_blueprint(lists_desk.bp)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(syndication_views.bp)
    app.register_blueprint(media_views.bp)
    app.register_blueprint(media_views.desk)
    errors.register(app)
    cli.register(app)
    security.register(app)
    return app
