"""A reader's unsubscribe link: GET shows a button, POST (the button, or a mail client's
one-click RFC 8058 request) turns off every notice to that address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..extensions import csrf
from ..request_limits import public_form
from . import services
from .forms import UnsubscribeForm

bp = Blueprint("mail", __name__, url_prefix="/mail")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public_form
@csrf.exempt
def unsubscribe(token: str) -> Response:
    if services.comment_for_token(token) is None:
        abort(404)
    form = UnsubscribeForm()
    if form.validate_on_submit():
        services.unsubscribe(token)
        flash(_("Done: this address gets no more emails about its comments."), "success")
        return redirect(url_for("mail.unsubscribe", token=token))
    page = render_template("mail/unsubscribe.html", form=form, token=token)
    # A personal link: kept by no shared cache, and its token sent to no other site.
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    return Response(page, headers=headers)
