"""GET /favicon.ico and /site.webmanifest: fixed URLs browsers ask for without a page naming
them, so they stay outside the content-hashed static URLs and are kept a week, not a year."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, send_from_directory, url_for
from werkzeug.wrappers import Response

bp = Blueprint("icons", __name__)
WEEK = 7 * 24 * 3600
CACHE = f"public, max-age={WEEK}"
THEME = "#8c1515"  # --brand in static/css/site.css


@bp.get("/favicon.ico")
def favicon() -> Response:
    folder = current_app.static_folder or ""
    response = send_from_directory(folder, "img/favicon.ico", mimetype="image/x-icon")
    response.headers["Cache-Control"] = CACHE
    return response


@bp.get("/site.webmanifest")
def manifest() -> Response:
    name = str(current_app.config["SITE_NAME"])
    body = {
        "name": name,
        "short_name": name,
        "start_url": "/",
        "display": "browser",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": url_for("static", filename="img/icon.svg"),
                "type": "image/svg+xml",
                "sizes": "any",
            },
            {
                "src": url_for("static", filename="img/apple-touch-icon.png"),
                "type": "image/png",
                "sizes": "180x180",
            },
        ],
    }
    response = Response(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response.headers["Cache-Control"] = CACHE
    return response
