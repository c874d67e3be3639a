"""A reader's comment: POST, run the pipeline, redirect; or show the form again as typed."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from .. import ratelimits
from ..articles import queries as article_queries
from ..errors import FieldError
from ..extensions import csrf
from ..keys import signing_keys
from ..request_limits import public_form
from . import form_token, services, stamp
from .forms import REFUSALS, CommentForm

bp = Blueprint("comments", __name__)
# The article page shows the comment form again as typed; the articles feature renders it and
# hands the renderer over when the app is wired (register), so this module never imports it.
ARTICLE_PAGE = "newsportal.article_page"
ArticlePage = Callable[..., str]


def register(app: Flask, article_page: ArticlePage) -> None:
    app.extensions[ARTICLE_PAGE] = article_page
    app.register_blueprint(bp)


OWN_COMMENTS_KEPT = 20


def policy() -> services.Policy:
    return services.policy_from(current_app.config, ratelimits.current())  # memory if Redis is down


@bp.get("/comments/token")
def token() -> tuple[dict[str, str], int, dict[str, str]]:
    """A form token for this reader: shared (cached) article pages carry none of their own."""
    body = {"csrf_token": generate_csrf(), "ts": stamp.issue(signing_keys(current_app.config))}
    return body, 200, {"Cache-Control": "private, no-store"}


@bp.post("/articles/<slug>/comments")
@public_form
@csrf.exempt  # checked by the form itself, so an expired token re-shows the text, not a 400
def submit(slug: str) -> tuple[str, int] | Response:
    article = article_queries.commentable(slug)
    if article is None:
        abort(404)
    config = current_app.config
    form = CommentForm()
    shared_token_ok = form_token.valid(
        signing_keys(config), request.form.get("csrf_token"), article.id, form.ts.data
    ) and form_token.same_origin(request.headers, str(config["PUBLIC_URL"]))
    refusal = None
    if not services.comments_open(article, policy().close_after_days):
        refusal = "closed"
    elif form.validate_sent(shared_token_ok):
        age = stamp.age(signing_keys(config), form.ts.data, config["COMMENT_FORM_MAX_AGE"])
        data = services.CommentInput(
            name=form.name.data or "",
            email=form.email.data or "",
            body=form.body.data or "",
            ip=request.remote_addr or "",
            user_agent=request.user_agent.string,
            honeypot=form.website.data or "",
            form_age=age,
            own_ids=tuple(session.get("own_comments", [])),
            notify=bool(form.notify.data),
        )
        try:
            outcome = services.submit_comment(article, data, policy())
        except FieldError as exc:
            refusal = exc.code
        else:
            # Only this reader's own comments ever enter their session: a new one, or a
            # duplicate, which the pipeline finds among these. A bot's (None) adds nothing.
            if outcome.comment_id is not None:
                own = [i for i in session.get("own_comments", []) if i != outcome.comment_id]
                session["own_comments"] = [*own, outcome.comment_id][-OWN_COMMENTS_KEPT:]
            flash(_("Your comment has been sent and is awaiting moderation."), "success")
            return redirect(url_for("reader.article", slug=slug, _anchor="comments"))
    elif form.meta.csrf and form.csrf_token.errors:
        refusal = "csrf"
    # Shown again with everything typed, a fresh token and a timestamp that counts time spent.
    form.ts.data = stamp.issue(signing_keys(config), head_start=config["COMMENT_MIN_SECONDS"])
    message = REFUSALS[refusal]() if refusal else None
    status = 429 if refusal == "rate" else 200
    shown = article_queries.published_article(slug) or abort(404)  # with category and tags
    page = current_app.extensions[ARTICLE_PAGE](shown, form=form, comment_message=message)
    return page, status
