"""The beacon: `POST /r/<id>` from static/js/readership.js, `GET` from the no-script picture.

Cached pages never reach a view, so the article page asks for this URL, the same for every
reader, once it is shown. The answer is never stored (`no-store`) and sets no cookie: nothing
here reads or writes the session. Exempt from CSRF: it changes no state a reader owns, and a
forged request can do no more than a real one, one view, within the per-address limit.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Flask, Response, current_app, request

from .. import ratelimits
from ..extensions import csrf
from . import buffer, services

bp = Blueprint("readership", __name__)
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # 1x1 GIF


def register(app: Flask) -> None:
    app.extensions[buffer.EXTENSION] = buffer.make(app.config)
    app.register_blueprint(bp)


@bp.route("/r/<int:article_id>", methods=["GET", "POST"])
@csrf.exempt
def beacon(article_id: int) -> Response:
    config = current_app.config
    policy = services.Policy(
        buffer=buffer.current(),
        rate_limit=config["READERSHIP_RATE_LIMIT"],
        limiter=ratelimits.current(),
        secret=config["IP_HASH_KEY"],
    )
    visit = services.Visit(
        article_id, request.headers.get("User-Agent", ""), request.remote_addr or ""
    )
    if request.method != "HEAD":  # a link checker's look is no read
        services.count_view(visit, policy)
    services.maybe_flush(policy.buffer)
    if request.method != "POST":  # GET and HEAD: the no-script picture
        response = Response(PIXEL, mimetype="image/gif")
    else:
        response = Response(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response
