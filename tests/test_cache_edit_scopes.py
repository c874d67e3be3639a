"""What an article's edit throws out of the page cache: a change to its text (lead, body) only its
own pages, the lists and the feeds; a change to what other pages show of it (title, picture,
slug, category, byline, tags, being public) every page; a draft's, nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy.exc import InvalidRequestError

from newsportal.articles import queries, services
from newsportal.extensions import db
from newsportal.models import Article, ContentState, PageScope
from newsportal.pagecache import cached_page
from newsportal.syndication import queries as feed_queries

from .page_helpers import make_page


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    b = make_article("Tin bên cạnh", category_id=cat, when=-120)
    a = make_article("Tin được sửa", category_id=cat, lead="Sapo cũ của tin.", body="Thân cũ.")
    make_page(app, "Giải quyết khiếu nại, tố cáo", body_md="Nơi tiếp nhận đơn.")
    return {
        "a_id": a.id,
        "a_pages": [f"/articles/{a.slug}", f"/articles/{a.slug}/print"],
        "lists": ["/", "/categories/thoi-su", "/feed.xml", "/categories/thoi-su/feed.xml"],
        "others": [f"/articles/{b.slug}", "/pages/giai-quyet-khieu-nai-to-cao"],
    }


def _edit(app, article_id: int, change: Callable[[services.ArticleData], services.ArticleData]):
    with app.app_context():
        article = db.session.get_one(Article, article_id)
        services.save_article(article, change(services.data_of(article)), None, "save")


def _versions(app) -> tuple[int, dict[str, int]]:
    with app.app_context():
        scopes = {row.name: row.version for row in db.session.scalars(db.select(PageScope))}
        return db.session.get_one(ContentState, 1).version, scopes


def _warm(client, urls) -> None:
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_editing_an_articles_text_re_renders_its_pages_the_lists_and_the_feeds_only(
    app, client, site, is_cached
):
    everything = [*site["a_pages"], *site["lists"], *site["others"]]
    _warm(client, everything)
    assert all(is_cached(client, url) for url in everything)
    version, _ = _versions(app)
    new_text = {"lead": "Sapo mới đã đính chính.", "body_md": "Thân mới"}
    _edit(app, site["a_id"], lambda d: replace(d, **new_text))
    assert _versions(app)[0] == version  # no page outside the edit's scopes is thrown out
    for url in site["others"]:
        assert is_cached(client, url), url
    for url in [*site["a_pages"], *site["lists"]]:
        assert not is_cached(client, url), url
        assert "Sapo mới đã đính chính." in client.get(url).get_data(as_text=True), url
    for url in site["a_pages"]:
        assert "Thân mới" in client.get(url).get_data(as_text=True)
    assert all(is_cached(client, url) for url in everything)  # and kept again


def test_the_sitemap_is_rendered_again_for_the_edit_time(app, client, site, is_cached):
    _warm(client, ["/sitemap.xml"])
    _edit(app, site["a_id"], lambda d: replace(d, body_md="Thân đã sửa."))
    assert not is_cached(client, "/sitemap.xml")  # its <lastmod>


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: replace(d, title="Tin được sửa tiêu đề"), id="title"),
        pytest.param(lambda d: replace(d, byline="Thanh Tâm"), id="byline"),
        pytest.param(lambda d: replace(d, category_id=None), id="category"),
        pytest.param(lambda d: replace(d, tags=["Cải cách hành chính"]), id="tags"),
    ],
)
def test_an_edit_other_pages_show_re_renders_every_page(app, client, site, change):
    _warm(client, site["others"])
    version, _ = _versions(app)
    _edit(app, site["a_id"], change)
    assert _versions(app)[0] == version + 1


def test_a_new_title_reaches_the_other_articles_pages(app, client, site):
    _warm(client, site["others"])
    _edit(app, site["a_id"], lambda d: replace(d, title="Tiêu đề mới ở tin bên cạnh"))
    assert "Tiêu đề mới ở tin bên cạnh" in client.get(site["others"][0]).get_data(as_text=True)


@pytest.mark.parametrize("when", [None, 60 * 24], ids=["draft", "scheduled"])
def test_editing_an_article_readers_cannot_see_yet_re_renders_nothing(
    app, client, site, make_article, is_cached, when
):
    hidden = make_article("Bản nháp chưa đăng", when=when)
    everything = [*site["a_pages"], *site["lists"], *site["others"]]
    _warm(client, everything)
    before = _versions(app)
    _edit(app, hidden.id, lambda d: replace(d, title="Bản nháp đổi tên", lead="Sapo nháp."))
    assert _versions(app) == before
    assert all(is_cached(client, url) for url in everything)


def test_publishing_re_renders_every_page(app, client, site, make_article):
    draft = make_article("Tin vừa lên trang", when=None)
    _warm(client, site["others"])
    with app.app_context():
        article = db.session.get_one(Article, draft.id)
        services.save_article(article, services.data_of(article), None, "publish_now")
    assert "Tin vừa lên trang" in client.get(site["others"][0]).get_data(as_text=True)


@pytest.mark.parametrize("attribute", ["lead", "body_html", "featured_image_caption"])
@pytest.mark.parametrize("listing", ["related", "latest_few"])
def test_lists_of_other_articles_cannot_show_their_text(app, site, attribute, listing):
    """The guard behind scoping text edits: the related articles and the sidebar's latest news
    are loaded without their text, so a template showing it fails here, not silently stale."""
    with app.test_request_context():
        article = db.session.get_one(Article, site["a_id"])
        db.session.expunge(article)  # the shown article's own text is loaded; the others' not
        shown = db.session.get_one(Article, site["a_id"])
        others = queries.related(shown) if listing == "related" else queries.latest_few(5)
        other = next(o for o in others if o.id != site["a_id"])
        with pytest.raises(InvalidRequestError):
            getattr(other, attribute)


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda: queries.latest(1, 5).items, id="cards"),
        pytest.param(lambda: feed_queries.feed_articles(), id="feed"),
        pytest.param(lambda: queries.published_article("tin-duoc-sua"), id="an-article"),
        pytest.param(lambda: queries.comment_counts(queries.latest_few(3)), id="comment-counts"),
    ],
)
def test_a_page_showing_text_or_counts_outside_its_scope_is_never_stored(app, site, caplog, read):
    """The guard behind `scope=`: a view that shows article text or comment counts without
    declaring the scope they are in."""

    @cached_page
    def careless() -> str:
        return str(read())

    app.add_url_rule("/careless", view_func=careless)
    reader_client = app.test_client()
    for _ in range(2):
        response = reader_client.get("/careless")
        assert response.status_code == 200
        assert response.headers["Cache-Control"].startswith("private, no-store")
    assert "declares scope" in caplog.text
