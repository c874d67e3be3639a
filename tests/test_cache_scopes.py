"""What a comment changing throws out of the page cache: its article's page and the lists that
count comments, nothing else (content_version scopes, pagecache `scope=`)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update

import newsportal.content_version
from newsportal import card_lists
from newsportal.articles import reader, services
from newsportal.comments import moderation
from newsportal.extensions import db
from newsportal.models import Article, ArticleStatus, Comment, ContentState, PageScope

from .comment_helpers import submitted
from .page_helpers import make_page, soup


@pytest.fixture
def site(app, make_article, make_category):
    cat = make_category("Thời sự")
    a = make_article("Tin có ý kiến", category_id=cat)
    b = make_article("Tin bên cạnh", category_id=cat)
    make_page(app, "Giải quyết khiếu nại, tố cáo", body_md="Nơi tiếp nhận đơn.")
    return {
        "a": f"/articles/{a.slug}",
        "b": f"/articles/{b.slug}",
        "a_id": a.id,
        "others": [f"/articles/{b.slug}", "/pages/giai-quyet-khieu-nai-to-cao", "/feed.xml"],
        "lists": ["/", "/categories/thoi-su"],
    }


def _set(app, comment_id: int, action: str) -> None:
    with app.app_context():
        moderation.set_status([comment_id], action, None)


def _version(app) -> int:
    with app.app_context():
        return db.session.get_one(ContentState, 1).version


def _warm(client, urls) -> None:
    for url in urls:
        assert client.get(url).status_code == 200


def test_approving_a_comment_re_renders_its_article_and_the_lists_only(
    app, client, site, is_cached
):
    comment = submitted(app, site["a_id"], "Xin hỏi lịch tiếp công dân tháng sau.")
    everything = [site["a"], *site["lists"], *site["others"]]
    _warm(client, everything)
    assert all(is_cached(client, url) for url in everything)
    before = _version(app)
    _set(app, comment, "approve")
    assert _version(app) == before  # no page outside its scopes is thrown out
    for url in site["others"]:
        assert is_cached(client, url), url
    assert "Xin hỏi lịch tiếp công dân tháng sau." in client.get(site["a"]).get_data(as_text=True)
    for url in site["lists"]:
        assert not is_cached(client, url), url  # rendered once more: the count
        assert "1 bình luận" in soup(client.get(url)).select_one(".comment-count").get_text()
    assert all(is_cached(client, url) for url in everything)  # and kept again


def test_hiding_an_approved_comment_takes_it_and_its_count_down_at_once(
    app, client, site, is_cached
):
    comment = submitted(app, site["a_id"], "Ý kiến sẽ bị ẩn.")
    _set(app, comment, "approve")
    _warm(client, [site["a"], *site["lists"], *site["others"]])
    _set(app, comment, "reject")
    assert "Ý kiến sẽ bị ẩn." not in client.get(site["a"]).get_data(as_text=True)
    for url in site["lists"]:
        assert soup(client.get(url)).select_one(".comment-count") is None
    for url in site["others"]:
        assert is_cached(client, url), url


def test_a_reply_re_renders_its_article_but_no_list(app, client, site, is_cached):
    comment = submitted(app, site["a_id"], "Cho hỏi thủ tục.")
    _set(app, comment, "approve")
    _warm(client, [site["a"], *site["lists"], *site["others"]])
    with app.app_context():
        moderation.reply(db.session.get_one(Comment, comment), None, "Ban biên tập đã chuyển.")
    assert "Ban biên tập đã chuyển." in client.get(site["a"]).get_data(as_text=True)
    for url in [*site["lists"], *site["others"]]:
        assert is_cached(client, url), url


def test_an_edit_outside_comments_still_re_renders_every_page(app, client, site, make_article):
    _warm(client, site["others"])
    make_article("Tin mới nhất trong ngày")  # the sidebar's latest news, on every article page
    assert "Tin mới nhất trong ngày" in client.get(site["b"]).get_data(as_text=True)


def test_a_reader_with_a_cookie_shares_the_scoped_entries(app, site, monkeypatch):
    """Flask's path (a language choice in the cookie) keys pages as the fast path does."""
    english = app.test_client()
    english.get("/?lang=en")
    rendered: list[str] = []
    original = reader.render_article

    def counting(article, *args, **kwargs):
        rendered.append(article.slug)
        return original(article, *args, **kwargs)

    monkeypatch.setattr(reader, "render_article", counting)
    english.get(site["b"])
    english.get(site["a"])
    _set(app, submitted(app, site["a_id"], "Góp ý bằng tiếng Việt."), "approve")
    assert english.get(site["b"]).status_code == 200
    assert "Góp ý bằng tiếng Việt." in english.get(site["a"]).get_data(as_text=True)
    b, a = (url.removeprefix("/articles/") for url in (site["b"], site["a"]))
    assert rendered == [b, a, a]  # B once, A again after the approval only


def test_last_modified_moves_with_the_scope(app, client, site, monkeypatch):
    first = client.get(site["a"])
    later = newsportal.content_version.utcnow() + timedelta(minutes=5)
    monkeypatch.setattr(newsportal.content_version, "utcnow", lambda: later)
    _set(app, submitted(app, site["a_id"], "Ý kiến mới hơn trang đã giữ."), "approve")
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    again = client.get(site["a"], headers=since)
    assert again.status_code == 200
    assert "Ý kiến mới hơn trang đã giữ." in again.get_data(as_text=True)
    assert (
        client.get(
            site["b"], headers={"If-Modified-Since": first.headers["Last-Modified"]}
        ).status_code
        == 304
    )


def test_scopes_are_one_row_each_and_rise_in_the_changes_transaction(app, site):
    comment = submitted(app, site["a_id"], "Ý kiến thứ nhất.")
    with app.app_context():
        assert db.session.scalars(db.select(PageScope)).all() == []  # pending: nothing changed
    _set(app, comment, "approve")
    _set(app, comment, "reject")
    with app.app_context():
        slug = db.session.get_one(Article, site["a_id"]).slug
        rows = {row.name: row.version for row in db.session.scalars(db.select(PageScope))}
    lists = ["front", "latest", "category:thoi-su", "author:minh-hang"]
    assert rows == {f"article:{slug}": 2} | {f"lists:{name}": 2 for name in lists}


@pytest.fixture
def many(app, make_article, make_category):
    """Two categories of 12 articles each, the newest last; one old article is tagged."""
    cats = {"thoi-su": make_category("Thời sự"), "kinh-te": make_category("Kinh tế")}
    made = {}
    for n in range(12):
        for slug, cat in cats.items():
            made[slug, n] = make_article(f"Tin {slug} số {n}", when=-1000 + n, category_id=cat)
    with app.app_context():
        old = db.session.get_one(Article, made["thoi-su", 0].id)
        data = services.data_of(old)
        services.save_article(old, replace(data, tags=["Nông thôn mới"]), None, "save")
    return made


def _approved_on(app, article) -> None:
    _set(app, submitted(app, article.id, "Ý kiến của bạn đọc."), "approve")


def test_a_comment_on_an_old_article_leaves_the_home_page_and_other_categories_cached(
    app, client, many, is_cached
):
    old = many["thoi-su", 0]  # past the home page's blocks: its category's page 2, home's 3
    untouched = ["/", "/categories/kinh-te", "/categories/kinh-te?page=2", "/tags/nong-thon-moi"]
    _warm(client, [*untouched[:3], "/categories/thoi-su?page=2", "/?page=3"])
    _warm(client, untouched[3:])
    _approved_on(app, many["kinh-te", 0])  # nothing shown above from this one but kinh-te's
    for url in ["/", "/tags/nong-thon-moi"]:
        assert is_cached(client, url), url
    _warm(client, untouched)
    _approved_on(app, old)
    for url in ["/", "/categories/kinh-te", "/categories/kinh-te?page=2"]:
        assert is_cached(client, url), url
    for url in ["/categories/thoi-su?page=2", "/?page=3", "/tags/nong-thon-moi"]:
        assert not is_cached(client, url), url
        assert "1 bình luận" in soup(client.get(url)).select_one(".comment-count").get_text()


@pytest.mark.parametrize("n", [11, 10, 5])  # the top story, a headline, in its category's block
def test_a_comment_on_an_article_on_the_home_page_re_renders_it(app, client, many, n):
    _warm(client, ["/"])
    _approved_on(app, many["kinh-te", n])
    counts = [c.get_text() for c in soup(client.get("/")).select(".comment-count")]
    assert "1 bình luận" in " ".join(counts)


def test_an_article_falls_off_the_home_page_only_through_a_change_to_every_page(
    app, client, many, make_article, make_category
):
    """Which articles the front shows moves only when one is published (a change to every
    page), so reading it when a comment is approved is exact."""
    with app.app_context():
        front = card_lists.lists_showing(db.session.connection(), {many["kinh-te", 11].id})
    assert "lists:front" in front
    before = _version(app)
    make_article("Tin mới đẩy tin cũ xuống", category_id=None)
    assert _version(app) == before + 1


def test_a_comment_decides_its_lists_after_an_uncommitted_change_commits(app, many, request):
    """PostgreSQL: an article unpublished in another transaction, not yet committed, brings
    kinh-te 5 into its category's block on the home page; a comment approved on it meanwhile
    must see that, so it waits for the version's row and raises the front page."""
    if request.node.callspec.params["database_url"] != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    comment = submitted(app, many["kinh-te", 4].id, "Ý kiến chờ lượt.")
    done = threading.Event()
    with app.app_context():
        before = {row.name: row.version for row in db.session.scalars(db.select(PageScope))}
        with db.engine.connect() as other:
            other.execute(
                update(Article)
                .where(Article.id == many["kinh-te", 11].id)
                .values(status=ArticleStatus.DRAFT)
            )
            newsportal.content_version.bump(other)

            def approve() -> None:
                with app.app_context():
                    moderation.set_status([comment], "approve", None)
                done.set()

            approving = threading.Thread(target=approve)
            approving.start()
            assert not done.wait(0.5)  # behind the uncommitted change
            other.commit()
        approving.join(10)
        assert done.is_set()
        after = {row.name: row.version for row in db.session.scalars(db.select(PageScope))}
    assert after["lists:front"] == before.get("lists:front", 0) + 1
