"""One response for a stored file, whichever backend holds it: the same headers, byte for byte.

The ETag is the sha256 the key is named after, not the file's modification time, so two app
servers (or a proxy in front of both) agree on it and a moved file keeps it. There is no
Last-Modified for the same reason: a copy's time says nothing about the bytes.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from .base import Storage


def send(
    files: Storage, key: str, environ: dict[str, Any], mimetype: str, max_age: int
) -> Response | None:
    """The file as a streamed, conditional (If-None-Match, Range) response, or None."""
    opened = files.open(key)
    if opened is None:
        return None
    name = key.rsplit("/", 1)[-1]
    # wrap_file: the server's sendfile for a file on disk, else 8 KiB reads of the stream.
    response = Response(
        wrap_file(environ, opened.stream), mimetype=mimetype, direct_passthrough=True
    )
    response.content_length = opened.size
    response.headers.set("Content-Disposition", "inline", filename=name)
    # The name is the hash of the bytes: they never change, so caches need never revalidate.
    response.headers["Cache-Control"] = f"public, max-age={max_age}, immutable"
    response.set_etag(name.split(".", 1)[0])
    return response.make_conditional(environ, accept_ranges=True, complete_length=opened.size)
