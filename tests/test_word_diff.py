"""The revision history's word diff: rendered text, word by word, Vietnamese words whole."""

import unicodedata
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from newsportal import revisions
from newsportal.articles import services
from newsportal.content import queries
from newsportal.extensions import db
from newsportal.models import Article
from newsportal.revisions import Segment, text_diff, word_diff


def ops(segments: list[Segment]) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in segments]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Năng suất đạt 5,7 tấn", "Năng suất đạt hơn 5,8 tấn", [
            ("equal", "Năng suất đạt "), ("delete", "5,7 "), ("insert", "hơn 5,8 "),
            ("equal", "tấn"),
        ]),
        # the same words typed decomposed (NFD) are the same words
        ("Đồng Tháp", unicodedata.normalize("NFD", "Đồng Tháp"), [("equal", "Đồng Tháp")]),
        # a tone mark is a different word, shown whole, never a detached accent
        ("lúa tốt", "lụa tốt", [("delete", "lúa "), ("insert", "lụa "), ("equal", "tốt")]),
        ("", "Mới", [("insert", "Mới")]),
        ("Cũ", "", [("delete", "Cũ")]),
        ("", "", []),
    ],
)  # fmt: skip
def test_plain_text_words(old, new, expected):
    assert ops(text_diff(old, new)) == expected


def test_body_is_compared_as_readers_read_it():
    old = "Đoạn **một** ở đây.\n\nĐoạn hai.\n\n- mục a\n- mục b"
    new = "Đoạn *một* ở kia.\n\nĐoạn hai.\n\n- mục a\n- mục c\n\nĐoạn mới."
    assert ops(word_diff(old, new)) == [
        ("equal", "Đoạn một ở "),  # bold to italic: the words are the same
        ("delete", "đây."),
        ("insert", "kia."),
        ("equal", "\nĐoạn hai.\nmục a\nmục "),
        ("delete", "b"),
        ("insert", "c"),
        ("equal", "\n"),
        ("insert", "Đoạn mới."),
    ]


def test_a_body_that_cannot_render_is_compared_as_typed():
    refused = ">" * 100 + " chữ cũ"
    assert ops(word_diff(refused, refused.replace("cũ", "mới"))) == [
        ("equal", ">" * 100 + " chữ "),
        ("delete", "cũ"),
        ("insert", "mới"),
    ]


def test_a_whole_rewrite_past_the_budget_is_removed_then_added(monkeypatch):
    monkeypatch.setattr(revisions, "WORD_DIFF_BUDGET", 4)
    assert ops(text_diff("một hai ba", "bốn năm sáu")) == [
        ("delete", "một hai ba\n"),
        ("insert", "bốn năm sáu"),
    ]


def test_history_page_escapes_the_words(app, auth, client, make_article):
    article = make_article(body="Đoạn cũ.")
    with app.app_context():
        item = db.session.get(Article, article.id)
        data = replace(services.data_of(item), title="<b>Tin</b> & <script>alert(1)</script>")
        services.save_article(item, data, None)
        latest = queries.revisions(item)[0]
    auth.as_role("editor")
    html = client.get(f"/editor/articles/{article.id}/revisions/{latest.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    made = BeautifulSoup(html, "html.parser").select_one("#made")
    assert [i.text for i in made.select("ins")] == [
        "[thêm:] <b>Tin</b> & <script>alert(1)</script>"
    ]
    assert made.select_one("ins b") is None
