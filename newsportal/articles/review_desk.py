"""The editors' side of review before publishing: the "Chờ duyệt" list, one article's changes
since it was last published, and the two answers: approve and publish (now or at a time), or
send back with a note. Added to the editor desk's blueprint (editor.py) for editors alone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..content import changes, desk
from ..content import queries as content_queries
from ..errors import FieldError
from ..models import Article
from ..text import local_to_utc
from . import queries, services
from .forms import ERRORS, ApproveForm, SendBackForm


def review_changes(article: Article) -> dict[str, Any]:
    """The text waiting for review and what it changes since the article was last published."""
    review = content_queries.review_of(article)
    pending = content_queries.pending_revision(review) or article
    if article.status == article.published_status:
        published: Any = article
    elif article.first_published_at is not None:
        published = content_queries.last_published_revision(article)
    else:
        published = None
    return {
        "review": review,
        "pending": pending,
        "published": published,
        "changes": changes.since_published(published, pending),
    }


def add_views(bp: Blueprint, kind: desk.DeskKind) -> None:
    def queue() -> str:
        return render_template("editor/review_queue.html", queue=queries.review_queue())

    # A refused answer shows the page again with 200, as the edit form does: the messages say
    # what is wrong, and nothing typed is lost.
    def page(article: Article, approve_form: Any, send_back_form: Any) -> str:
        return render_template(
            "editor/review.html",
            article=article,
            approve_form=approve_form,
            send_back_form=send_back_form,
            **review_changes(article),
        )

    def load(article_id: int) -> Article:
        article = kind.load({kind.key: article_id})
        assert isinstance(article, Article)  # noqa: S101 (the kind's model)
        return article

    def review(article_id: int) -> Any:
        return page(load(article_id), ApproveForm(), SendBackForm())

    def refused(form: Any, exc: FieldError) -> None:
        field = getattr(form, exc.field, None)
        message = ERRORS.get(exc.code, ERRORS["invalid"])
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")

    def approve(article_id: int) -> Any:
        article = load(article_id)
        form = ApproveForm()
        if form.validate_on_submit():
            typed = form.published_at.data
            try:
                services.approve(article, desk.writer(), local_to_utc(typed) if typed else None)
            except FieldError as exc:
                refused(form, exc)
            else:
                flash(_approved_message(article), "success")
                return redirect(url_for("editor.edit", article_id=article.id))
        flash(_("The article was not published. Check the fields marked below."), "error")
        return page(article, form, SendBackForm())

    def send_back(article_id: int) -> Any:
        article = load(article_id)
        form = SendBackForm()
        if form.validate_on_submit():
            try:
                services.send_back(article, form.note.data or "", desk.writer())
            except FieldError as exc:
                if exc.code == "required":  # only spaces: as if nothing were typed
                    form.note.errors = [*form.note.errors, form.note.validators[0].message]
                else:
                    refused(form, exc)
            else:
                flash(_("Sent back to the writer with your note."), "success")
                return redirect(url_for("editor.review_queue"))
        flash(_("The article was not sent back. Check the fields marked below."), "error")
        return page(article, ApproveForm(), form)

    rule = "/articles/<int:article_id>/review"
    bp.add_url_rule("/review", "review_queue", queue, methods=["GET"])
    bp.add_url_rule(rule, "review", review, methods=["GET"])
    bp.add_url_rule(f"{rule}/approve", "approve", approve, methods=["POST"])
    bp.add_url_rule(f"{rule}/send-back", "send_back", send_back, methods=["POST"])


def _approved_message(article: Article) -> str:
    if article.state() == "scheduled":
        return _("Approved. The article will be published at the scheduled time.")
    return _("Approved and published.")
