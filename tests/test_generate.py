"""`flask demo generate`: bulk synthetic Vietnamese data for benchmarks."""

from __future__ import annotations

import re
import unicodedata

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, inspect, select, text

from newsportal import markup
from newsportal.comments.services import ip_hash
from newsportal.demo_data import bulk, generate, words
from newsportal.extensions import db
from newsportal.models import Article, Category, Comment
from newsportal.text import slugify, utcnow

from .demo_snapshot import kept

ARTICLES, COMMENTS = 300, 3000
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def command(articles=ARTICLES, comments=COMMENTS, seed=7):
    return ["demo", "generate", "--articles", str(articles), "--comments", str(comments)] + [
        "--seed",
        str(seed),
    ]


def run(runner, articles=ARTICLES, comments=COMMENTS, seed=7):
    result = runner.invoke(args=command(articles, comments, seed))
    assert result.exit_code == 0, result.output
    return result.output


def rows(app, model):
    with app.app_context():
        return list(db.session.scalars(select(model).order_by(model.id)))


def is_nfc(text):
    return unicodedata.normalize("NFC", text) == text


@pytest.fixture
def generated(app):
    """The tests that read what one run made share it: a copy of the worker's first run."""
    return kept(app, command()).output


def test_counts_statuses_and_states(app, generated):
    articles, comments = rows(app, Article), rows(app, Comment)
    assert len(articles) == ARTICLES
    assert len(comments) == COMMENTS
    statuses = [c.status for c in comments]
    assert {"approved", "pending", "rejected", "spam"} <= set(statuses)
    assert statuses.count("approved") > COMMENTS / 2
    states = [a.state() for a in articles]
    assert {"draft", "scheduled", "published"} <= set(states)
    assert states.count("published") > ARTICLES * 0.9
    now = utcnow()
    published = [a.published_at for a in articles if a.state() == "published"]
    assert (now - min(published)).days > 2 * 365  # spread over past years
    assert all(c.created_at <= now and c.created_at.tzinfo is not None for c in comments)
    assert all(c.moderated_at is None or c.moderated_at <= now for c in comments)
    assert all((c.moderated_at is None) == (c.status == "pending") for c in comments)
    by_id = {a.id: a for a in articles}
    assert all(by_id[c.article_id].state() == "published" for c in comments)
    assert all(c.created_at >= by_id[c.article_id].published_at for c in comments)


def test_text_is_vietnamese_nfc(app, generated):
    articles, comments = rows(app, Article), rows(app, Comment)
    fields = [t for a in articles for t in (a.title, a.lead, a.body_md, a.body_html, a.byline)]
    fields += [t for c in comments for t in (c.name, c.body, c.body_html)]
    assert all(is_nfc(text) for text in fields)
    assert sum(bool(VIETNAMESE.search(a.title)) for a in articles) > ARTICLES * 0.8
    assert all(VIETNAMESE.search(a.body_md) for a in articles)
    assert all(c.email.endswith("@example.org") for c in comments)
    pools = [words.PLACES, words.OBJECTS, words.COMMENT_SENTENCES, words.FAMILY_NAMES]
    assert all(is_nfc(item) for pool in pools for item in pool)


def test_slugs_unique_and_made_from_titles(app, generated):
    articles = rows(app, Article)
    assert len({a.slug for a in articles}) == len(articles)
    assert all(a.slug.startswith(slugify(a.title)[:40]) for a in articles)
    assert all(re.fullmatch(r"[a-z0-9-]+", a.slug) for a in articles)


def test_html_is_what_markup_makes(app, generated):
    articles, comments = rows(app, Article), rows(app, Comment)
    for source, html in {a.body_md: a.body_html for a in articles}.items():
        assert html == markup.render_article(source)
    for source, html in {c.body: c.body_html for c in comments}.items():
        assert html == markup.render_comment(source)
    htmls = [a.body_html for a in articles]
    assert any("<table>" in h for h in htmls)
    assert any("<h2>" in h for h in htmls)
    assert any("<ul>" in h for h in htmls)
    lengths = sorted(len(a.body_md) for a in articles)
    assert lengths[-1] > 5 * lengths[0]  # short to long
    assert any('rel="nofollow ugc noopener"' in c.body_html for c in comments)


def test_ip_hash_is_the_pipelines_hmac(app, generated):
    secret = app.config["SECRET_KEY"]
    known = {
        ip_hash(f"{net}.{n}", secret)
        for net in ("192.0.2", "198.51.100", "203.0.113")
        for n in range(1, 255)
    }
    assert all(c.ip_hash in known for c in rows(app, Comment))


def test_newest_article_has_exactly_fifty_approved_comments(app, generated, client):
    slug = re.search(r"approved comments: /articles/(\S+)", generated).group(1)
    article = next(a for a in rows(app, Article) if a.slug == slug)
    approved = [c for c in rows(app, Comment) if c.article_id == article.id]
    assert len(approved) == 50
    assert all(c.status == "approved" for c in approved)
    newest = max(
        (a for a in rows(app, Article) if a.state() == "published"), key=lambda a: a.published_at
    )
    assert newest.slug == slug
    page = BeautifulSoup(client.get(f"/articles/{slug}").get_data(as_text=True), "html5lib")
    assert page.h1.get_text(strip=True) == article.title
    assert len(page.select("li.comment")) == 50
    home = client.get("/")
    assert home.status_code == 200
    assert article.title in BeautifulSoup(home.get_data(as_text=True), "html5lib").get_text()


def test_deep_category_and_hidden_articles(app, generated, client):
    match = re.search(r"largest category: /categories/(\S+) \((\d+) published", generated)
    slug, count = match.group(1), int(match.group(2))
    assert slug == slugify(words.CATEGORIES[0][0])
    per_category = {}
    for a in rows(app, Article):
        if a.state() == "published":
            per_category[a.category_id] = per_category.get(a.category_id, 0) + 1
    assert count == max(per_category.values())
    last_page = (count + 9) // 10
    page = client.get(f"/categories/{slug}?page={last_page}")
    assert page.status_code == 200
    assert client.get(f"/categories/{slug}?page={last_page + 1}").status_code == 404
    for article in rows(app, Article):
        if article.state() != "published":
            assert client.get(f"/articles/{article.slug}").status_code == 404


def test_running_again_adds_more(app, runner, generated):
    run(runner, articles=100, comments=500, seed=7)  # same seed: same titles, new slugs
    articles = rows(app, Article)
    assert len(articles) == ARTICLES + 100
    assert len({a.slug for a in articles}) == len(articles)
    assert len(rows(app, Comment)) == COMMENTS + 500
    assert len(rows(app, Category)) == len(words.CATEGORIES)


def test_comments_only_go_to_existing_articles(app, runner, generated):
    run(runner, articles=0, comments=200)
    assert len(rows(app, Comment)) == COMMENTS + 200


def test_large_loads_rebuild_the_indexes(app, runner, monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 0)
    with app.app_context():
        before = {ix["name"] for ix in inspect(db.engine).get_indexes("comments")}
    run(runner, articles=20, comments=200)
    with app.app_context():
        assert {ix["name"] for ix in inspect(db.engine).get_indexes("comments")} == before
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 200

    def fail(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate, "insert_comments", fail)
    with app.app_context(), pytest.raises(RuntimeError):
        generate.generate(5, 500, "secret", seed=1)
    with app.app_context():
        assert {ix["name"] for ix in inspect(db.engine).get_indexes("comments")} == before


def test_statistics_count_the_loaded_rows(app, runner):
    """The first queries after a load are planned for its rows, not for the empty tables."""
    with app.app_context():
        started = db.session.scalar(text("SELECT CURRENT_TIMESTAMP"))
        db.session.rollback()
    run(runner, articles=20, comments=200)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            made = text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert db.session.scalar(made) == 1  # only ANALYZE makes the table
            # One row per index: its row count first.
            stats = db.session.execute(text("SELECT tbl, stat FROM sqlite_stat1")).all()
            counted = {(table, int(stat.split()[0])) for table, stat in stats}
            assert {("articles", 20), ("comments", 200)} <= counted
            return
        stats = db.session.execute(
            text(
                "SELECT s.relname, s.last_analyze, c.reltuples FROM pg_stat_user_tables s "
                "JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema()"
            )
        ).all()
    analysed = {table: rows for table, when, rows in stats if when and when >= started}
    # A table this small is read whole: the estimate is the count. Autovacuum's own ANALYZE
    # would set last_autoanalyze, not last_analyze.
    assert {"articles": 20, "comments": 200}.items() <= analysed.items()


def test_reuses_categories_an_editor_made(app, runner):
    from newsportal.articles.services import save_category

    with app.app_context():
        mine = save_category(None, "Thời sự", "tin-thoi-su", 0).id
    output = run(runner, articles=50, comments=100)
    assert "largest category: /categories/tin-thoi-su" in output
    categories = rows(app, Category)
    assert len(categories) == len(words.CATEGORIES)
    assert any(a.category_id == mine for a in rows(app, Article))


def test_bulk_rows_are_stored_as_the_orm_stores_them(app, make_article):
    """Same column types, same bytes: a whole-second time keeps its '.000000' on SQLite."""
    from datetime import UTC, datetime

    article = make_article()
    when = datetime(2024, 1, 1, 7, 30, tzinfo=UTC)
    fields = {
        "article_id": article.id,
        "name": "Lê Văn Tám",
        "email": "tam@example.org",
        "body": "Ý kiến",
        "body_html": "<p>Ý kiến</p>",
        "status": "approved",
        "flags": "",
        "created_at": when,
        "ip_hash": "",
        "user_agent": "",
        "consent_at": when,
        "notify": False,
        "moderated_by_id": None,
        "moderated_at": None,
        "reason": "",
    }
    with app.app_context():
        generate.insert_comments([fields])
        db.session.add(Comment(**{**fields, "email": "orm@example.org"}))
        db.session.commit()
        stored = db.session.execute(
            text("SELECT email, created_at, consent_at FROM comments ORDER BY id")
        ).all()
    assert stored[0][1:] == stored[1][1:]


def test_generated_articles_are_searchable_and_shown_at_once(app, runner, client):
    assert client.get("/").status_code == 200  # a page cached before the data arrives
    result = runner.invoke(
        args=["demo", "generate", "--articles", "40", "--comments", "60", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        from newsportal.models import SearchDocument, published_filter

        newest = db.session.scalars(
            db.select(Article).where(published_filter()).order_by(Article.published_at.desc())
        ).first()
        docs = db.session.scalar(db.select(db.func.count()).select_from(SearchDocument))
        public = db.session.scalar(
            db.select(db.func.count()).select_from(Article).where(Article.status == "published")
        )
    assert docs == public  # published and scheduled ones: search filters by time
    assert newest.title in client.get("/").get_data(as_text=True)
    word = newest.title.split()[0]
    found = client.get(f"/search?q={word}").get_data(as_text=True)
    assert f'href="/articles/{newest.slug}"' in found
