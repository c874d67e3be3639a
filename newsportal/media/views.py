"""Serving uploads to everyone, and the upload page of the editor desk."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..auth.decorators import WRITERS, check_role
from ..errors import FieldError
from ..extensions import csrf
from ..request_limits import query_int, upload_form
from ..storage import current as storage
from ..storage import send
from . import queries, services
from .forms import ERRORS, ImageForm

bp = Blueprint("media", __name__)
desk = Blueprint("images", __name__, url_prefix="/editor/images")
NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp)")
YEAR = 365 * 24 * 3600


@bp.get("/uploads/<name>")
def upload(name: str) -> Response:
    match = NAME.fullmatch(name)
    if match is None:
        abort(404)
    response = send(storage(), name, request.environ, services.MIME[match.group(1)], YEAR)
    if response is None:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@desk.before_request
def _editors_only() -> Response | None:
    return check_role(WRITERS)  # reporters put pictures in their articles too


def _limits() -> services.Limits:
    return services.Limits(
        max_bytes=current_app.config["IMAGE_MAX_BYTES"],
        max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
        max_decoded=current_app.config["IMAGE_MAX_DECODED_PIXELS"],
    )


def max_megabytes() -> str:
    return format_decimal(round(current_app.config["IMAGE_MAX_BYTES"] / (1024 * 1024), 1))


def _error(code: str) -> str:
    megapixels = format_decimal(round(current_app.config["IMAGE_MAX_DECODED_PIXELS"] / 1e6, 1))
    return str(ERRORS[code] % {"mb": max_megabytes(), "mpx": megapixels})


# The form checks its own CSRF token, so a too-large file gets a form error, not a 413 page.
@desk.route("/", methods=["GET", "POST"])
@upload_form
@csrf.exempt
def index() -> str | Response | tuple[str, int]:
    status = 200
    try:
        form = ImageForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, submitted, status = ImageForm(formdata=None), False, 400
        form.file.errors = [_error("too_large")]
    if submitted:
        upload = form.file.data
        data = upload.stream.read(current_app.config["IMAGE_MAX_BYTES"] + 1)
        try:
            image = services.store_image(
                data, upload.filename or "", current_user.id, storage(), _limits()
            )
        except FieldError as exc:
            form.file.errors = [_error(exc.code)]
            status = 400
        else:
            flash(
                _(
                    "Picture uploaded. Copy its Markdown into an article, or choose it as the "
                    "featured image."
                ),
                "success",
            )
            return redirect(f"{request.path}?uploaded={image.id}")
    elif request.method == "POST":
        status = 400
    images = queries.latest()
    uploaded = request.args.get("uploaded", type=query_int)
    page = render_template(
        "media/index.html", form=form, images=images, uploaded=uploaded, mb=max_megabytes()
    )
    return page, status
