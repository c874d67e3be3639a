"""newsportal: news and moderated comments for a Vietnamese provincial portal."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import (
    auth,
    cli,
    database,
    errors,
    health,
    i18n,
    logs,
    mail,
    metrics,
    pagecache,
    ratelimits,
    request_limits,
    requestlog,
    security,
    shared_caches,
    static_urls,
    templating,
    urls,
)
from .articles import categories, editor, reader
from .comments import desk as moderation_desk
from .comments import privacy_desk
from .comments import views as comment_views
from .config import load_config
from .extensions import limiter
from .media import views as media_views
from .pages import desk as pages_desk
from .pages import lists_desk
from .pages import views as pages_views
from .readership import views as readership_views
from .search import views as search_views
from .site_files import CHECKOUT, default_instance_path, site_folder
from .syndication import icons as syndication_icons
from .syndication import views as syndication_views

ROOT = CHECKOUT  # the repository root when run from a checkout (tests read its files)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(site_folder("templates")),
        static_folder=str(site_folder("static")),
        instance_path=os.environ.get("NEWSPORTAL_INSTANCE_PATH") or default_instance_path(),
    )
    # config -> extensions and request hooks -> blueprints -> errors -> commands -> headers.
    # Hooks run in the order registered (after_request in reverse): keep this order.
    load_config(app, config)
    logs.configure(app)  # before anything logs, so Flask adds no handler of its own
    request_limits.register(app)  # first: refuses a bad request before anything reads it
    database.register(app)
    health.register(app)
    metrics.register(app)
    pagecache.register(app)  # FastPath wraps the WSGI app: a cached page skips all that follows
    shared_caches.register(app)  # s-maxage for the proxy in front, cached pages included
    auth.register(app)  # login manager, CSRF, the account blueprints, the idle timeout
    mail.register(app)  # Flask-Mailman and the unsubscribe page
    i18n.register(app)
    urls.register(app)
    templating.register(app)
    static_urls.register(app)  # url_for('static') gets content-hashed URLs
    for blueprint in (reader.bp, editor.bp, categories.bp):
        app.register_blueprint(blueprint)
    limiter.init_app(app)
    ratelimits.register(app)
    comment_views.register(app, article_page=reader.render_article)
    readership_views.register(app)  # the most-read beacon and its buffer
    for blueprint in (
        moderation_desk.bp,
        privacy_desk.bp,
        pages_views.bp,
        pages_desk.bp,
        lists_desk.bp,
        search_views.bp,
        syndication_views.bp,
        syndication_icons.bp,
        media_views.bp,
        media_views.desk,
    ):
        app.register_blueprint(blueprint)
    errors.register(app)
    cli.register(app)
    security.register(app)  # its WSGI wrappers sit outside the page cache's fast path
    requestlog.register(app)  # last: outermost, so every answer is logged and counted
    return app
