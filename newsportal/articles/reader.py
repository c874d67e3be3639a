"""Reader pages: home, article, category. Thin: load, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, session

from ..comments import queries as comment_queries
from ..comments import services as comment_services
from ..comments import views as comment_views
from ..comments.forms import CommentForm
from ..models import Article
from ..pagecache import cached_page
from . import queries

bp = Blueprint("reader", __name__)


def _page() -> int:
    page = request.args.get("page", 1, type=int)
    if page < 1 or page > 100_000:
        abort(404)
    return page


@bp.app_context_processor
def navigation() -> dict[str, object]:
    # Templates call nav_categories() only where a page shows the menu; error pages too.
    return {"nav_categories": queries.categories}


@bp.get("/")
@cached_page
def home() -> str:
    page = _page()
    articles = queries.latest(page, current_app.config["ARTICLES_PER_PAGE"])
    if page > 1 and not articles.items:
        abort(404)
    return render_template("articles/home.html", articles=articles)


def render_article(
    article: Article, form: CommentForm | None = None, comment_message: str | None = None
) -> str:
    """The article page; also used to show the comment form again exactly as it was typed."""
    policy = comment_views.policy()
    return render_template(
        "articles/article.html",
        article=article,
        comments=comment_queries.for_article(article.id, session.get("own_comments", [])),
        form=form or comment_views.new_form(),
        comments_open=comment_services.comments_open(article, policy.close_after_days),
        comment_message=comment_message,
    )


@bp.get("/articles/<slug>")
@cached_page
def article(slug: str) -> str:
    item = queries.published_article(slug)
    if item is None:
        abort(404)
    return render_article(item)


@bp.get("/categories/<slug>")
@cached_page
def category(slug: str) -> str:
    found = queries.category_by_slug(slug)
    if found is None:
        abort(404)
    page = _page()
    articles = queries.in_category(found, page, current_app.config["ARTICLES_PER_PAGE"])
    if page > 1 and not articles.items:
        abort(404)
    return render_template("articles/category.html", category=found, articles=articles)
