"""Search, the parts that need no PostgreSQL matrix: parsing, highlighting, the index kept up
to date by every way an article changes, the header form (the XSS corpus:
test_search_corpus_*.py)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from newsportal import markup
from newsportal.articles import services
from newsportal.extensions import db
from newsportal.models import Article, SearchDocument
from newsportal.search import queries

from .test_search import _titles


@pytest.mark.parametrize(
    ("raw", "terms"),
    [
        ("Đồng Tháp", ("dong", "thap")),
        ('"Đồng Tháp" khiếu nại', ("dong thap", "khieu", "nai")),
        ('"dong', ("dong",)),
        ("NEAR(a* -b:c)", ("near", "a", "b", "c")),
        ("dong dong DONG", ("dong",)),
        ("", ()),
    ],
)
def test_parse_folds_and_keeps_only_words(raw, terms):
    assert queries.parse(raw) == terms


def test_highlight_marks_original_letters_and_cuts_long_text():
    text = "Mở đầu. " * 100 + "Thành phố Cao Lãnh và ĐƯỜNG Nguyễn Huệ. " + "Kết thúc. " * 100
    html = str(markup.highlight(text, ("cao lanh", "duong"), 120))
    assert "<mark>Cao Lãnh</mark>" in html
    assert "<mark>ĐƯỜNG</mark>" in html
    assert html.startswith("…")
    assert html.endswith("…")
    assert len(html) < 220
    assert str(markup.highlight("Đường <b>", ("duong",))) == "<mark>Đường</mark> &lt;b&gt;"
    assert str(markup.highlight("Tháp Mười", ())) == "Tháp Mười"


def test_plain_text_separates_blocks():
    assert markup.plain_text("<p>Một</p><p>Hai&amp;ba</p><ul><li>x</li></ul>") == "Một Hai&ba x"


def test_reindex_command_rebuilds_the_index(app, make_article, runner):
    make_article(title="Tin Châu Thành")
    with app.app_context():
        db.session.execute(db.delete(SearchDocument))
        db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Tin Châu Thành" in _titles(app.test_client(), "chau thanh")


def test_header_has_a_labelled_search_form(client):
    soup = BeautifulSoup(client.get("/").data, "html.parser")
    form = soup.select_one("header form[role=search]")
    assert form["action"] == "/search"
    field = form.select_one("input[name=q]")
    assert soup.select_one(f"label[for={field['id']}]") is not None


def test_restoring_a_revision_and_importing_update_the_index(app, make_article, runner, tmp_path):
    from newsportal.models import ArticleRevision

    article = make_article(title="Cầu Cao Lãnh")
    with app.app_context():
        live = db.session.get(Article, article.id)
        data = services.ArticleData(title="Cầu Vàm Cống", lead="", body_md="", byline="")
        services.save_article(live, data, None)
        first = db.session.scalars(
            db.select(ArticleRevision).order_by(ArticleRevision.id).limit(1)
        ).one()
        services.restore_revision(live, first, None)
    client = app.test_client()
    assert _titles(client, "cao lanh") == ["Cầu Cao Lãnh"]
    assert _titles(client, "vam cong") == []
    source = tmp_path / "bai.md"
    source.write_text(
        '---\ntitle: "Nhập từ tệp Hồng Ngự"\nstatus: published\n'
        'published_at: "2024-01-02T08:00:00+07:00"\n---\nNội dung.\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["articles", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert _titles(client, "hong ngu") == ["Nhập từ tệp Hồng Ngự"]
