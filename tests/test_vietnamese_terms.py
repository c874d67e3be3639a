"""The interface speaks as a Vietnamese agency writes (issue 15): no censorship-sounding or literal
"desk" terms, and numbers in the reader's language."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from newsportal.text import display_date, document_date

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
        # a plural entry (ngettext) holds one string per form
        return [
            text
            for m in read_po(handle)
            if m.id
            for text in (m.string if isinstance(m.string, tuple) else (m.string,))
        ]


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


def _without_addresses(text: str) -> str:
    """Addresses, placeholders and field names are not words a reader reads as prose."""
    text = re.sub(r"\S+@\S+|mailto:\S+|%\(\w+\)s|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " ", text)
    return text


@pytest.mark.sqlite_only("reads the catalogue and the demo Markdown; no database")
@pytest.mark.parametrize(("loanword", "term"), [("email", "thư điện tử"), ("spam", "thư rác")])
def test_one_vietnamese_term_for_email_and_spam(loanword, term):
    pattern = re.compile(rf"(?i)(?<![\w-]){loanword}(?![\w-])")
    demo = [t for p, t in template_texts() if p.suffix == ".md"]
    offenders = [s for s in vietnamese_strings() + demo if pattern.search(_without_addresses(s))]
    assert offenders == []
    assert any(term in s.casefold() for s in vietnamese_strings())


# Babel's vi weekday names, the ones the schedule and the date line print.
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
ANY_WEEKDAY = re.compile(r"(?i)\b(thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\b")


@pytest.mark.sqlite_only("formats weekdays and reads text files; no database")
def test_one_weekday_style(app):
    from datetime import UTC, datetime

    from newsportal.i18n import weekday

    with app.test_request_context(), force_locale("vi"):
        # 07/12/2026 is a Monday; noon UTC is the same day in Vietnam
        days = [weekday(datetime(2026, 12, 7 + i, 5, tzinfo=UTC)) for i in range(7)]
    assert days == WEEKDAYS
    texts = vietnamese_strings() + [t for _, t in template_texts()]
    written = {m.group(0) for t in texts for m in ANY_WEEKDAY.finditer(t)}
    assert written <= set(WEEKDAYS), written - set(WEEKDAYS)
    assert ANY_WEEKDAY.findall("sáng thứ bảy, Chủ nhật") == ["thứ bảy", "Chủ nhật"]


# A spaced hyphen between phrases is a dash in Vietnamese print. Kept as hyphens on purpose: the
# seed's timestamp "14:47 - 29/04/2022", the sample mark the issue spells with one, and the
# national motto, which Decree 30/2020 itself writes "Độc lập - Tự do - Hạnh phúc".
HYPHEN_KEPT = ["Thông tin mẫu - cần cơ quan xác nhận", "Độc lập - Tự do - Hạnh phúc"]


@pytest.mark.sqlite_only("reads the catalogue and the demo content; no database")
def test_dashes_not_spaced_hyphens():
    demo = ROOT / "newsportal" / "demo_content"
    files = [*demo.rglob("*.md"), *demo.rglob("*.yaml")]
    texts = vietnamese_strings() + [p.read_text("utf-8") for p in files]
    found = []
    for text in texts:
        for kept in HYPHEN_KEPT:
            text = text.replace(kept, "")
        # Markdown list items start a line with "- ", and the editor's syntax hint shows one
        prose = re.sub(r"(?m)^\s*- |, - danh sách", "", text)
        found += re.findall(r".{0,20}\S - \S.{0,20}", prose)
    assert found == []


# Decree 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero ("01/7/2026",
# "05/02/2026"); no other month does.
PROSE_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _decree_30(day: str, month: str) -> bool:
    return len(day) == 2 and month == (month.zfill(2) if int(month) <= 2 else str(int(month)))


@pytest.mark.sqlite_only("reads the catalogue and the demo content; no database")
def test_dates_in_prose_follow_decree_30():
    demo = ROOT / "newsportal" / "demo_content"
    texts = vietnamese_strings() + [p.read_text("utf-8") for p in demo.rglob("*.md")]
    texts += [p.read_text("utf-8") for p in demo.rglob("*.yaml")]
    wrong = [
        m.group(0) for t in texts for m in PROSE_DATE.finditer(t) if not _decree_30(*m.groups()[:2])
    ]
    assert wrong == []
    assert [
        _decree_30(*d.split("/")[:2]) for d in ("01/7/2026", "05/02/2026", "5/7/2026", "10/09/2025")
    ] == [True, True, False, False]


@pytest.mark.sqlite_only("formats dates; no database")
@pytest.mark.parametrize(
    ("day", "shown", "in_a_decision"),
    [
        (date(2026, 7, 1), "01/7/2026", "ngày 01 tháng 7 năm 2026"),
        (date(2026, 2, 5), "05/02/2026", "ngày 05 tháng 02 năm 2026"),
        (date(2025, 11, 20), "20/11/2025", "ngày 20 tháng 11 năm 2025"),
    ],
)
def test_document_dates_are_written_as_decree_30_says(day, shown, in_a_decision):
    assert display_date(day) == shown
    assert document_date(day) == in_a_decision


@pytest.mark.sqlite_only("reads configuration; no database")
def test_the_portal_is_named_with_its_province(app):
    assert app.config["SITE_NAME"] == "Cổng Thông tin điện tử tỉnh Đồng Tháp"


# Legal guidance addresses the citizen as "công dân", by the law's role ("người khiếu nại",
# "người tố cáo") or directly as "ông, bà"; "bạn" is how a newspaper talks to its readers.
SECTION_PAGES = sorted((ROOT / "newsportal" / "demo_content" / "pages").glob("0[1-8]-*.md"))
YOU_AS_A_FRIEND = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)


def section_strings():
    """The Vietnamese of every msgid the complaints section's templates use."""
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    strings = []
    # the privacy note's blocks speak to a commenter, as its page does: "bạn" is right there
    templates = sorted((ROOT / "templates" / "pages").glob("*.html"))
    for template in (t for t in templates if t.name != "_privacy.html"):
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
