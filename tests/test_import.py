"""`flask articles import`: the seed imports word for word; a bad file writes nothing."""

import re
import unicodedata
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup

from .conftest import all_articles, all_categories

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "dong-thap-nq68.md"
SEED_SLUG = "dong-thap-phoi-hop-tuyen-truyen-giam-sat-thuc-hien-nghi-quyet-68-nq-cp"
needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason="../shared/seed is not beside the project"
)

GOOD = """---
title: "Tháp Mười: Mùa sen"
author: "Thanh Tâm"
published_at: "2026-11-20T08:30:00+07:00"
category: "Văn hóa - Xã hội"
summary: "Sapo của bài."
status: published
---
Đoạn một.
"""


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@needs_seed
def test_seed_imports_and_renders_word_for_word(app, runner, client):
    result = runner.invoke(args=["articles", "import", str(SEED)])
    assert result.exit_code == 0, result.output
    assert f"/articles/{SEED_SLUG}" in result.output
    source = frontmatter.load(SEED)
    page = BeautifulSoup(client.get(f"/articles/{SEED_SLUG}").get_data(as_text=True), "html5lib")
    assert page.h1.get_text() == source["title"]
    assert page.select_one(".article .lead").get_text() == source["summary"]
    paragraphs = [p.get_text() for p in page.select(".article .body p")]
    assert len(paragraphs) == 3
    assert words(" ".join(paragraphs)) == words(source.content)
    assert "liên quan đế Nghị quyết" in paragraphs[0]  # the original's typo is the editor's word
    assert "Covd-19" in paragraphs[2]
    assert page.select_one(".byline").get_text() == "Minh Hằng"
    assert page.select_one(".article time").get_text() == "14:47 - 29/04/2022"
    assert page.select_one(".article time")["datetime"] == "2022-04-29T14:47:00+07:00"
    assert page.select_one(".breadcrumbs li + li a").get_text() == "Hoạt động Hội"


@needs_seed
def test_reimport_is_refused_unless_update(app, runner, tmp_path):
    assert runner.invoke(args=["articles", "import", str(SEED)]).exit_code == 0
    again = runner.invoke(args=["articles", "import", str(SEED)])
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert len(all_articles(app)) == 1
    changed = write(
        tmp_path, "seed.md", SEED.read_text(encoding="utf-8").replace("Minh Hằng", "M. Hằng")
    )
    updated = runner.invoke(args=["articles", "import", "--update", str(changed)])
    assert updated.exit_code == 0, updated.output
    (article,) = all_articles(app)
    assert article.byline == "M. Hằng"


def test_good_file_without_offset_is_vietnam_time(app, runner, tmp_path):
    path = write(tmp_path, "a.md", GOOD.replace("2026-11-20T08:30:00+07:00", "2022-04-29 14:47"))
    assert runner.invoke(args=["articles", "import", str(path)]).exit_code == 0
    (article,) = all_articles(app)
    assert article.published_at.isoformat() == "2022-04-29T07:47:00+00:00"
    assert [c.name for c in all_categories(app)] == ["Văn hóa - Xã hội"]


def test_unquoted_yaml_timestamp_and_explicit_slug(app, runner, tmp_path):
    text = GOOD.replace('"2026-11-20T08:30:00+07:00"', "2026-11-20T08:30:00+07:00")
    text = text.replace("status: published", "status: draft\nslug: mua-sen-2026")
    path = write(tmp_path, "a.md", text)
    assert runner.invoke(args=["articles", "import", str(path)]).exit_code == 0
    (article,) = all_articles(app)
    assert (article.slug, article.status) == ("mua-sen-2026", "draft")
    assert article.published_at.isoformat() == "2026-11-20T01:30:00+00:00"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace('title: "Tháp Mười: Mùa sen"\n', ""), "title"),
        (GOOD.replace('title: "Tháp Mười: Mùa sen"', 'title: ""'), "title"),
        (GOOD.replace("2026-11-20T08:30:00+07:00", "20/11/2026 8 giờ sáng"), "published_at"),
        (GOOD.replace("2026-11-20T08:30:00+07:00", "2026-13-45T99:00"), "published_at"),
        (GOOD.replace('summary: "Sapo của bài."', 'summary: "Sapo: [không đóng'), "front matter"),
        (GOOD.replace("status: published", "status: maybe"), "status"),
        (GOOD.replace("status: published", "status: published\nslug: Có Dấu"), "slug"),
        (GOOD.replace('author: "Thanh Tâm"', "author: [a, b]"), "author"),
        (GOOD.replace('category: "Văn hóa - Xã hội"', 'category: "???"'), "category"),
        (GOOD.replace("2026-11-20T08:30:00+07:00", "0001-01-01T00:00:00"), "published_at"),
        (GOOD.replace("status: published\n---", "status: published\n"), "front matter"),
        ("Chỉ có nội dung, không có front matter.\n", "title"),
        (GOOD.replace('title: "Tháp Mười: Mùa sen"', 'title: "\\u200b"\nslug: mua-sen'), "title"),
        (GOOD.replace("Đoạn một.", "<div>" * 2_000), "body"),  # markup_bounds refuses it
    ],
)
def test_bad_file_gets_one_line_naming_file_and_field_and_writes_nothing(
    app, runner, tmp_path, text, field
):
    path = write(tmp_path, "bad.md", text)
    result = runner.invoke(args=["articles", "import", str(path)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert f": {field}:" in lines[0]
    assert all_articles(app) == []
    assert all_categories(app) == []


def test_missing_and_undecodable_files_are_clear_errors(app, runner, tmp_path):
    latin = tmp_path / "latin1.md"
    latin.write_bytes("---\ntitle: Đ\n---\n".encode("utf-16"))
    result = runner.invoke(args=["articles", "import", str(tmp_path / "none.md"), str(latin)])
    assert result.exit_code != 0
    assert "none.md: file:" in result.output
    assert "latin1.md: file:" in result.output


def test_one_bad_file_does_not_stop_the_good_ones(app, runner, tmp_path):
    good = write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "bad.md", GOOD.replace("status: published", "status: ???"))
    result = runner.invoke(args=["articles", "import", str(bad), str(good)])
    assert result.exit_code == 1
    assert [a.title for a in all_articles(app)] == ["Tháp Mười: Mùa sen"]


def test_imported_body_is_sanitised_and_nfc(app, runner, tmp_path):
    body = unicodedata.normalize("NFD", "Nội dung") + ' <img src=x onerror="alert(1)">'
    path = write(tmp_path, "x.md", GOOD.replace("Đoạn một.", body))
    assert runner.invoke(args=["articles", "import", str(path)]).exit_code == 0
    (article,) = all_articles(app)
    assert "onerror" not in article.body_html
    assert unicodedata.is_normalized("NFC", article.body_md)
    assert article.body_md.startswith("Nội dung")
