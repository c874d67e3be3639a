"""The importer and the demo's pictures write articles through the desk's service: each leaves a
revision, and the search document a desk save of the same article would leave."""

from newsportal import content_version
from newsportal.articles import services
from newsportal.articles.importer import parse_file
from newsportal.extensions import db
from newsportal.models import Article, ArticleRevision, SearchDocument

from .demo_snapshot import load_demo
from .test_import import GOOD, SEED, SEED_SLUG, needs_seed, write

PICTURED = [
    "vu-lua-thu-dong-nang-suat-binh-quan-dat-hon-5-7-tan-ha",
    "thap-muoi-dam-sen-mua-nuoc-rut-hut-khach-tham-quan-cuoi-tuan",
]


def _article(slug):
    return db.session.scalar(db.select(Article).where(Article.slug == slug))


def _revisions(article):
    query = db.select(ArticleRevision).where(ArticleRevision.content_id == article.id)
    return [(r.note, r.title, r.lead, r.body_md) for r in db.session.scalars(query.order_by("id"))]


def _document(article):
    doc = db.session.scalar(
        db.select(SearchDocument).where(
            SearchDocument.kind == Article.kind, SearchDocument.ref_id == article.id
        )
    )
    if doc is None:
        return None
    return (doc.url, doc.title, doc.text, doc.title_folded, doc.text_folded, doc.visible_from)


def _desk_document(article):
    """What the desk leaves when an editor saves the article as it is, nothing changed."""
    services.save_article(article, services.data_of(article), None)
    return _document(article)


def test_an_import_leaves_a_revision_and_the_desks_search_document(app, runner, tmp_path):
    path = write(tmp_path, "a.md", GOOD)
    assert runner.invoke(args=["articles", "import", str(path)]).exit_code == 0
    with app.app_context():
        article = _article("thap-muoi-mua-sen")
        assert _revisions(article) == [
            ("import", "Tháp Mười: Mùa sen", "Sapo của bài.", "Đoạn một.")
        ]
        imported = _document(article)
        assert imported is not None
        assert imported[:2] == ("/articles/thap-muoi-mua-sen", "Tháp Mười: Mùa sen")
        assert _desk_document(article) == imported
    draft = write(tmp_path, "b.md", GOOD.replace("status: published", "status: draft"))
    result = runner.invoke(args=["articles", "import", "--update", str(draft)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        article = _article("thap-muoi-mua-sen")
        assert [note for note, *_ in _revisions(article)] == ["import", "save", "import"]
        assert _document(article) is None  # a draft again: out of search, as the desk's unpublish
        assert _desk_document(article) is None


def test_a_demo_picture_leaves_a_revision_and_the_desks_search_document(app, runner):
    assert load_demo(app).exit_code == 0
    with app.app_context():
        pictured = [_article(slug) for slug in PICTURED]
        assert all(a.featured_image_id is not None for a in pictured)
        kept = {a.slug: (_revisions(a), _document(a)) for a in pictured}
        for article in pictured:
            revisions, document = kept[article.slug]
            assert [note for note, *_ in revisions] == ["import", "save"]
            assert revisions[-1][1:] == (article.title, article.lead, article.body_md)
            assert document is not None
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0
    assert "picture:" not in again.output
    with app.app_context():
        for slug in PICTURED:
            article = _article(slug)
            assert (_revisions(article), _document(article)) == kept[slug]  # nothing added
            assert _desk_document(article) == kept[slug][1]


def test_a_demo_picture_raises_the_content_version(app, runner, monkeypatch):
    """The pictures are saved last: without them the version would stay where the pages left it.
    A scheduled article's picture shows nowhere before it is due, so it raises nothing."""
    seen = []
    original = services.set_featured_image

    def watched(article, *args):
        before = content_version.current().version
        saved = original(article, *args)
        seen.append((article.is_live(), content_version.current().version > before))
        return saved

    monkeypatch.setattr("newsportal.cli.demo.set_featured_image", watched)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        articles = db.session.scalar(db.select(db.func.count(Article.id)))
    assert len(seen) == articles
    assert [raised for _, raised in seen] == [live for live, _ in seen]
    assert any(live for live, _ in seen)


@needs_seed
def test_the_desks_save_keeps_the_imported_words_byte_for_byte(app, runner):
    parsed = parse_file(SEED)
    assert runner.invoke(args=["articles", "import", str(SEED)]).exit_code == 0
    with app.app_context():
        article = _article(SEED_SLUG)
        stored = (article.title, article.byline, article.lead, article.body_md)
        assert stored == (parsed.title, parsed.author, parsed.summary, parsed.body)
        assert _revisions(article)[0][3] == parsed.body
