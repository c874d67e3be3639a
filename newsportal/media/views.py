"""Serving uploads to everyone, and the upload page of the editor desk."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..auth.decorators import WRITERS, check_role, json_api
from ..errors import FieldError
from ..extensions import csrf
from ..models import Image
from ..request_limits import page_number, query_int, upload_form
from ..storage import current as storage
from ..storage import send
from . import queries, services
from .forms import ERRORS, ImageForm

bp = Blueprint("media", __name__)
desk = Blueprint("images", __name__, url_prefix="/editor/images")
NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp)")
YEAR = 365 * 24 * 3600
LIBRARY_PAGE = 24  # pictures per page of the editor's picker


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


def _described(image: Image) -> dict[str, object]:
    """A picture as the editor's picker and drop-to-upload see it."""
    return {
        "id": image.id,
        "url": url_for("media.upload", name=image.fitting(800)["name"]),
        "thumb": url_for("media.upload", name=image.fitting(400)["name"]),
        "width": image.width,
        "height": image.height,
        "name": image.original_name,
    }


# For article-editor.js: a picture pasted or dropped into the body, through the same checks as
# the upload page; the form's own CSRF token, so every refusal is a message the script shows.
@desk.post("/upload.json")
@upload_form
@csrf.exempt
@json_api
def upload_json() -> tuple[Response, int]:
    try:
        form = ImageForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        return jsonify(error=_error("too_large")), 400
    if not submitted:
        if form.meta.csrf and form.csrf_token.errors:
            message = _("The page is out of date. Reload it, then add the picture again.")
        else:
            message = str(form.file.errors[0]) if form.file.errors else _("Choose a file.")
        return jsonify(error=message), 400
    upload = form.file.data
    data = upload.stream.read(current_app.config["IMAGE_MAX_BYTES"] + 1)
    try:
        image = services.store_image(
            data, upload.filename or "", current_user.id, storage(), _limits()
        )
    except FieldError as exc:
        return jsonify(error=_error(exc.code)), 400
    return jsonify(image=_described(image)), 200


@desk.get("/library.json")
@json_api
def library() -> Response:
    page = min(page_number(), 10_000)  # past the last page: an empty one
    found = queries.library(page, LIBRARY_PAGE)
    return jsonify(
        images=[_described(image) for image in found[:LIBRARY_PAGE]],
        page=page,
        next=page + 1 if len(found) > LIBRARY_PAGE else None,
    )
