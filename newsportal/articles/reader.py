"""Reader pages: home, article, category. Thin: load, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, session

from .. import card_lists
from ..comments import queries as comment_queries
from ..comments import services as comment_services
from ..comments.forms import CommentForm, empty_fields, new_form
from ..content_version import FRONT, LATEST, article_scope, list_scope
from ..models import Article
from ..pagecache import cached_page, page_param
from ..request_limits import query_int
from ..text import slugify
from ..urls import absolute_url
from . import cards, queries
from .sidebar import sidebar

bp = Blueprint("reader", __name__)


def _page() -> int:
    page = request.args.get("page", 1, type=query_int)
    if page < 1 or page > 100_000:
        abort(404)
    return page


@bp.app_context_processor
def navigation() -> dict[str, object]:
    # Templates call nav_categories() only where a page shows the menu; error pages too.
    return {"nav_categories": queries.menu}


@bp.get("/")
@cached_page(params={"page": page_param}, scope=lambda page=None: LATEST if page else FRONT)
def home() -> str:
    page = _page()
    articles = queries.latest(page, current_app.config["ARTICLES_PER_PAGE"])
    if page > 1 and not articles.items:
        abort(404)
    if page > 1:
        counts = queries.comment_counts(articles.items)
        return render_template("articles/home.html", articles=articles, comment_counts=counts)
    front = articles.items[: 1 + card_lists.HEADLINES]
    categories = queries.menu()
    found = queries.category_blocks([c.id for c in categories], {a.id for a in front})
    blocks = [(c, found[c.id]) for c in categories if c.id in found]
    shown = front + [a for _, items in blocks for a in items]
    return render_template(
        "articles/home.html",
        articles=articles,
        front=front,
        blocks=blocks,
        comment_counts=queries.comment_counts(shown),
        sidebar=sidebar(with_latest=False),
    )


def render_article(
    article: Article, form: CommentForm | None = None, comment_message: str | None = None
) -> str:
    """The article page; also used to show the comment form again exactly as it was typed."""
    policy = comment_services.policy_from(current_app.config, None)  # its rules, no counting
    share_image = _share_image(article)
    return render_template(
        "articles/article.html",
        article=article,
        # Without comment counts: a comment approved on one of them must not re-render this page.
        related=queries.related(article),
        sidebar=sidebar(),
        jsonld=_card(article, share_image),
        share_image=share_image,
        share_url=absolute_url("reader.article", slug=article.slug),
        comments=comment_queries.for_article(article, session.get("own_comments", [])),
        form=form or new_form(article.id),
        comment_fields=None if form else empty_fields(),
        comments_open=comment_services.comments_open(article, policy.close_after_days),
        comment_message=comment_message,
    )


def _share_image(article: Article) -> dict[str, object]:
    """The picture social networks fetch: the featured one at about 1200 px, else the site's."""
    if article.featured_image is None:
        return {
            "url": absolute_url("static", filename="img/share.jpg"),
            "width": 1200,
            "height": 630,
            "alt": current_app.config["SITE_NAME"],
            "featured": False,
        }
    copy = article.featured_image.fitting(1200)
    return {
        "url": absolute_url("media.upload", name=copy["name"]),
        "width": copy["width"],
        "height": copy["height"],
        "alt": article.featured_image_alt,
        "featured": True,
    }


def _card(article: Article, share_image: dict[str, object]) -> dict[str, object]:
    return cards.news_article(
        article,
        url=absolute_url("reader.article", slug=article.slug),
        site_name=current_app.config["SITE_NAME"],
        site_url=absolute_url("reader.home"),
        author_url=absolute_url("reader.author", slug=slugify(article.byline))
        if slugify(article.byline)
        else None,
        image_url=str(share_image["url"]) if share_image["featured"] else None,
    )


@bp.get("/articles/<slug>")
@cached_page(scope=article_scope)
def article(slug: str) -> str:
    item = queries.published_article(slug)
    if item is None:
        abort(404)
    return render_article(item)


@bp.get("/articles/<slug>/print")
@cached_page(scope=article_scope)
def print_view(slug: str) -> str:
    item = queries.published_article(slug)
    if item is None:
        abort(404)
    return render_template("articles/print.html", article=item)


@bp.get("/authors/<slug>")
@cached_page(params={"page": page_param}, scope=lambda slug, page=None: list_scope("author", slug))
def author(slug: str) -> str:
    # "Minh Hằng" and "MINH HẰNG" typed by two editors are one author page.
    names = sorted(name for name in queries.bylines() if slugify(name) == slug)
    if not names:
        abort(404)
    page = _page()
    articles = queries.by_byline(names, page, current_app.config["ARTICLES_PER_PAGE"])
    if page > 1 and not articles.items:
        abort(404)
    counts = queries.comment_counts(articles.items)
    return render_template(
        "articles/author.html", byline=names[0], articles=articles, comment_counts=counts
    )


@bp.get("/categories/<slug>")
@cached_page(
    params={"page": page_param}, scope=lambda slug, page=None: list_scope("category", slug)
)
def category(slug: str) -> str:
    found = queries.category_by_slug(slug)
    if found is None:
        abort(404)
    page = _page()
    articles = queries.in_category(found, page, current_app.config["ARTICLES_PER_PAGE"])
    if page > 1 and not articles.items:
        abort(404)
    return render_template(
        "articles/category.html",
        category=found,
        articles=articles,
        comment_counts=queries.comment_counts(articles.items),
        sidebar=sidebar(),
    )


@bp.get("/tags/<slug>")
@cached_page(params={"page": page_param}, scope=lambda slug, page=None: list_scope("tag", slug))
def tag(slug: str) -> str:
    found = queries.tag_by_slug(slug)
    if found is None:
        abort(404)
    page = _page()
    articles = queries.tagged(found, page, current_app.config["ARTICLES_PER_PAGE"])
    if not articles.items:
        abort(404)  # a tag no published article carries (yet, or any more) has no page
    counts = queries.comment_counts(articles.items)
    return render_template("articles/tag.html", tag=found, articles=articles, comment_counts=counts)
