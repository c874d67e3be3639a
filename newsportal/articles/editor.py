"""The editor desk: list, write with preview, publish, schedule, unpublish, history, restore."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import markup
from ..auth.decorators import WRITERS
from ..content import desk, review
from ..content import queries as content_queries
from ..extensions import db
from ..media import queries as media_queries
from ..models import Article, Image, Revision
from ..request_limits import page_number
from ..text import local_to_utc, to_local, utcnow
from . import queries, review_desk, services
from .forms import (
    ERRORS,
    SORTS,
    ArticleFilterForm,
    ArticleForm,
    ArticlePreviewForm,
    PreviewForm,
    optional_id,
    optional_time,
)

# Reporters write too (their own articles: content.review); these are for editors alone.
EDITORS_ONLY = frozenset({"unpublish", "restore", "review_queue", "review", "approve", "send_back"})
bp = desk.blueprint("editor", __name__, "/editor", roles=WRITERS, editors_only=EDITORS_ONLY)
KIND = desk.DeskKind(Article, "article_id", ERRORS, ArticleForm)
HTML = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def _category_choices(form: Any) -> None:
    form.category_id.choices = [(None, _("(no category)"))] + [
        (c.id, c.name) for c in queries.categories()
    ]


def _image_choices(form: Any, article: Article | None) -> None:
    recent = list(db.session.scalars(db.select(Image).order_by(Image.id.desc()).limit(50)))
    current = article.featured_image if article is not None else None
    if current is not None and current not in recent:
        recent.append(current)
    form.featured_image_id.choices = [(None, _("(no picture)"))] + [
        (i.id, f"{i.original_name or i.key[:12]} ({i.width}×{i.height})") for i in recent
    ]


def _data(form: ArticleForm) -> services.ArticleData:
    typed = form.published_at.data
    return services.ArticleData(
        title=form.title.data or "",
        slug=form.slug.data or "",
        lead=form.lead.data or "",
        body_md=form.body.data or "",
        byline=form.byline.data or "",
        category_id=form.category_id.data,
        published_at=local_to_utc(typed) if typed else None,
        comments_enabled=bool(form.comments_enabled.data),
        featured_image_id=form.featured_image_id.data,
        featured_image_alt=form.featured_image_alt.data or "",
        featured_image_caption=form.featured_image_caption.data or "",
        tags=services.split_tags(form.tags.data or ""),
    )


FILTER_ARGS = ("q", "author", "state", "category", "tag")


@bp.get("/")
def index() -> str:
    form = ArticleFilterForm(request.args)
    writer = desk.writer()
    authors = queries.desk_authors()
    form.author.choices = [(None, _("All"))] + authors
    form.category.choices = [(None, _("All"))] + [(c.id, c.name) for c in queries.categories()]
    form.validate()  # a value that fails is ignored below, and shown with its message
    tag_typed = str(form.valid("tag") or "")
    tag = queries.tag_named(tag_typed)
    if tag_typed and tag is None:
        form.tag.errors = [*form.tag.errors, _("No tag has this name.")]
    filters = queries.DeskFilters(
        title=str(form.valid("q") or ""),
        author_id=form.valid("author"),
        state=str(form.valid("state") or "") or None,
        category_id=form.valid("category"),
        tag_id=tag.id if tag is not None else None,
        sort=str(form.valid("sort") or "updated"),
        owner_id=None if writer.publishes else writer.id,
    )
    per_page = current_app.config["EDITOR_PER_PAGE"]
    articles = queries.editor_list(filters, page_number(), per_page)
    kept = {k: v for k, v in request.args.items() if k in FILTER_ARGS}
    return render_template(
        "editor/index.html",
        form=form,
        articles=articles,
        reviews=queries.reviews_of(articles.items),
        sort=filters.sort,
        sort_urls={s: f"{request.path}?{urlencode({**kept, 'sort': s})}" for s in SORTS},
        author_names=dict(authors),
        tag_suggestions=queries.tag_suggestions(),
    )


def _edit(article: Article | None) -> str | Response:
    writer = desk.writer()
    article_review = content_queries.review_of(article) if article is not None else None
    # A reporter goes on from their own pending edit; editors edit what readers see.
    pending = None if writer.publishes else content_queries.pending_revision(article_review)
    form = ArticleForm(
        **desk.autosave_start(KIND, article),
        obj=None if article is None else _form_values(article, pending),
    )
    _category_choices(form)
    _image_choices(form, article)
    done: list[str] = []

    def save(action: str) -> Article:
        done.append(action)
        return services.write_article(article, _data(form), writer, action)

    saved, preview = desk.submit(form, KIND, save)
    if isinstance(saved, Article):
        submitted = done == ["submit"]
        flash(_submitted_message() if submitted else _state_message(saved), "success")
        return redirect(url_for("editor.edit", article_id=saved.id))
    if preview is not None:
        preview = _whole_article(form, preview, article)
    return render_template(
        "editor/edit.html",
        form=form,
        article=article,
        preview=preview,
        tag_suggestions=queries.tag_suggestions(),
        review=article_review,
        publishes=writer.publishes,
        # A reporter's change to a published article waits as text alone (content.review).
        text_only=not writer.publishes and review.edits_wait(article),
        **desk.autosave_context(bp.name, KIND, article),
    )


def _whole_article(form: Any, body_html: str, article: Article | None) -> str:
    """The article as readers will see it, from what the form holds (nothing saved)."""
    categories: dict[int | None, Any] = {c.id: c for c in queries.categories()}
    image = media_queries.image(optional_id(form.featured_image_id.data))
    typed = optional_time(form.published_at.data)
    when = local_to_utc(typed) if typed else None
    shown = SimpleNamespace(
        title=form.title.data or "",
        lead=form.lead.data or "",
        byline=form.byline.data or "",
        category=categories.get(optional_id(form.category_id.data)),
        featured_image=image,
        featured_image_alt=form.featured_image_alt.data or "",
        featured_image_caption=form.featured_image_caption.data or "",
        published_at=when or (article.published_at if article else None) or utcnow(),
        body_html=body_html,
        slug="",
    )
    return render_template("editor/_article_preview.html", article=shown)


def _submitted_message() -> str:
    return _(
        "Sent for review. An editor will publish it or send it back to you with a note; "
        "until then readers see the article as it was."
    )


def _form_values(article: Article, pending: Revision | None = None) -> SimpleNamespace:
    published = article.published_at
    own = ("byline", "category_id", "comments_enabled", "featured_image_id")
    values = desk.form_values(
        article,
        (*own, "featured_image_alt", "featured_image_caption"),
        published_at=to_local(published).replace(tzinfo=None) if published else None,
        tags=", ".join(tag.name for tag in article.sorted_tags()),
    )
    if pending is not None:
        values.title, values.lead, values.body = pending.title, pending.lead, pending.body_md
    return values


def _state_message(article: Article) -> str:
    state = article.state()
    if state == "published":
        return _("Saved. The article is published.")
    if state == "scheduled":
        return _("Saved. The article will be published at the scheduled time.")
    return _("Saved as a draft.")


def _refused(exc: markup.MarkupRefused) -> str:
    # Shown in the preview pane by editor.js; the text stays in the editor's textarea.
    return render_template("editor/_preview_refused.html", message=ERRORS[exc.code])


@bp.post("/preview")
def preview() -> tuple[str, int, dict[str, str]]:
    """The HTML a body will have, for the live preview beside a page's editor."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        return markup.render_article(form.body.data or ""), 200, HTML
    except markup.MarkupRefused as exc:
        return _refused(exc), 200, HTML


@bp.post("/articles/preview")
def preview_article() -> tuple[str, int, dict[str, str]]:
    """The whole article as readers will see it, for the live preview beside the editor."""
    form = ArticlePreviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        body_html = markup.render_article(form.body.data or "")
    except markup.MarkupRefused as exc:
        return _refused(exc), 200, HTML
    return _whole_article(form, body_html, None), 200, HTML


desk.add_views(bp, "/articles", KIND, _edit)
review_desk.add_views(bp, KIND)


@bp.app_context_processor
def _review_badge() -> dict[str, object]:
    # Called by the desk's tabs only, so no other page pays for the count.
    return {"reviews_waiting": lambda: content_queries.waiting_count(Article.kind)}
