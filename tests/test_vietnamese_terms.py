"""The interface speaks as a Vietnamese agency writes (issue 15): no censorship-sounding or literal
"desk" terms, and numbers in the reader's language."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "newsportal" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
# "kiểm duyệt" reads as censorship; "Bàn ..." is a word-for-word "desk".
RETIRED = [
    "kiểm duyệt",
    "Kiểm duyệt viên",
    "Bàn biên tập",
    "Bàn kiểm duyệt",
    "Đăng nhập cán bộ",
    "Bỏ qua, đến nội dung chính",
]


def vietnamese_strings():
    with open(CATALOGUE, "rb") as handle:
        return [m.string for m in read_po(handle) if m.id]


def template_texts():
    """The templates and the demo pages' Markdown: what readers and staff read."""
    files = [
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "newsportal" / "demo_content").rglob("*.md"),
    ]
    return [(p.relative_to(ROOT), p.read_text("utf-8")) for p in files]


@pytest.mark.parametrize("term", RETIRED)
def test_retired_term_is_gone_from_the_catalogue_and_templates(term):
    assert [s for s in vietnamese_strings() if term.casefold() in s.casefold()] == []
    assert [p for p, text in template_texts() if term.casefold() in text.casefold()] == []


def test_the_editorial_board_is_written_with_capitals():
    assert [p for p, text in template_texts() if "Ban biên tập" in text] == []


@pytest.mark.parametrize(
    ("msgid", "wording"),
    [
        ("Moderator", "Người duyệt bình luận"),
        ("Moderation desk", "Duyệt bình luận"),
        ("Editor desk", "Quản lý tin bài"),
        ("Staff sign-in", "Đăng nhập quản trị"),
        ("Skip to content", "Chuyển đến nội dung chính"),
        (
            "Your comment has been sent and is awaiting moderation.",
            "Bình luận của bạn đã được gửi và đang chờ duyệt.",
        ),
        ("Editorial board replies to reader %(name)s", "Ban Biên tập trả lời bạn đọc %(name)s"),
    ],
)
def test_agency_wording(msgid, wording):
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    assert catalogue[msgid].string == wording


@pytest.mark.sqlite_only("formats numbers; no database is touched")
@pytest.mark.parametrize(
    ("lang", "size", "shown"),
    [
        ("vi", 594, "594 byte"),
        ("vi", 1_500, "1,5 kB"),
        ("vi", 2_345_678, "2,3 MB"),
        ("en", 594, "594 bytes"),
        ("en", 1_500, "1.5 kB"),
        ("en", 2_345_678, "2.3 MB"),
    ],
)
def test_file_size_in_the_readers_language(app, lang, size, shown):
    with app.test_request_context(), force_locale(lang):
        assert render_template_string("{{ n|filesizeformat }}", n=size) == shown


# The old style puts the tone on the last vowel of an open "oa/oe/uy" (hoá, xoá, thuỷ); the
# catalogue writes the new style (hóa, xóa, thủy) throughout. "quý" is the same in both.
OLD_TONE_PLACEMENT = re.compile(r"(?<![qQ])[oO][áàảãạéèẻẽẹ](?!\w)|(?<![qQ])[uU][ýỳỷỹỵ](?!\w)")


def test_one_tone_placement_style():
    texts = vietnamese_strings() + [text for _, text in template_texts()]
    assert [m for t in texts for m in OLD_TONE_PLACEMENT.findall(t)] == []
    assert OLD_TONE_PLACEMENT.findall("hoá, xoá, hoà, thuỷ, quý") == [
        "oá",
        "oá",
        "oà",
        "uỷ",
    ]


@pytest.mark.parametrize(
    ("msgid", "wording"),
    [("Postponed", "Tạm hoãn"), ("Moved", "Đã dời lịch"), ("Cancelled", "Đã hủy")],
)
def test_schedule_states(msgid, wording):
    with open(CATALOGUE, "rb") as handle:
        assert read_po(handle)[msgid].string == wording


# Legal guidance addresses the citizen as "công dân", by the law's role ("người khiếu nại",
# "người tố cáo") or directly as "ông, bà"; "bạn" is how a newspaper talks to its readers.
SECTION_PAGES = sorted((ROOT / "newsportal" / "demo_content" / "pages").glob("0[1-8]-*.md"))
YOU_AS_A_FRIEND = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)


def section_strings():
    """The Vietnamese of every msgid the complaints section's templates use."""
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    strings = []
    for template in sorted((ROOT / "templates" / "pages").glob("*.html")):
        for _, message, _, _ in extract_from_file("jinja2", str(template)):
            ids = [message] if isinstance(message, str) else list(message)
            entry = catalogue[ids[0]]
            translations = [entry.string] if isinstance(entry.string, str) else entry.string
            strings += [(template.name, ids[0], s) for s in translations]
    return strings


@pytest.mark.sqlite_only("reads the pages' Markdown; no database is touched")
@pytest.mark.parametrize("page", SECTION_PAGES, ids=lambda p: p.name)
def test_legal_guidance_does_not_call_the_citizen_ban(page):
    text = page.read_text("utf-8")
    lines = [line for line in text.splitlines() if YOU_AS_A_FRIEND.search(line)]
    assert lines == []


@pytest.mark.sqlite_only("reads the catalogue and templates; no database is touched")
def test_section_strings_do_not_call_the_citizen_ban():
    strings = section_strings()
    assert len(SECTION_PAGES) == 8
    assert len(strings) > 30  # the extraction found the section's strings
    assert [s for s in strings if YOU_AS_A_FRIEND.search(s[2])] == []
    assert YOU_AS_A_FRIEND.findall("Bạn cần (của bạn). Ban Biên tập") == ["Bạn", "bạn"]
