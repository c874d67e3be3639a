"""Static files under content-hashed URLs, so browsers and the proxy may keep them for a year.

`url_for('static', filename=...)` (and `absolute_url`) adds `?v=<hash of the file's bytes>`,
read once at start-up: a deploy that changes a file changes its URL, and the URL the current
pages link is answered `immutable`. A `v` that is not the current hash (a page rendered before
the deploy, still in someone's cache) gets the current file, revalidated on each use instead of
kept, so an old page never pins a stale copy under the new URL. deploy/nginx serves the same
URLs from disk with the same headers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
EXTENSION = "newsportal.static_hashes"


def file_hashes(folder: Path) -> dict[str, str]:
    """Each file under `folder` (its path as url_for names it) -> the start of its SHA-256."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[
            :HASH_LENGTH
        ]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def register(app: Flask) -> None:
    hashes = file_hashes(Path(app.static_folder)) if app.static_folder else {}
    app.extensions[EXTENSION] = hashes

    def add_hash(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            digest = hashes.get(str(values.get("filename", "")))
            if digest is not None:
                values["v"] = digest

    def cache_current(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            name = str((request.view_args or {}).get("filename", ""))
            current = hashes.get(name)
            if current is not None and request.args.get("v") == current:
                response.headers["Cache-Control"] = IMMUTABLE
        return response

    app.url_defaults(add_hash)
    app.after_request(cache_current)
