import unicodedata
from datetime import UTC, datetime

import pytest
from flask import Flask, render_template_string
from markupsafe import Markup

from newsportal.markup import timestamp
from newsportal.text import (
    clean_line,
    display_time,
    iso_time,
    local_to_utc,
    match_key,
    nfc,
    slugify,
    vi_fold,
    xml_safe,
)

SEED_TITLE = "Đồng Tháp: Phối hợp, tuyên truyền, giám sát thực hiện Nghị quyết 68/NQ-CP"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Đồng Tháp", "dong thap"),
        ("ĐỒNG THÁP", "dong thap"),
        ("đồng tháp", "dong thap"),
        (unicodedata.normalize("NFD", "Đồng Tháp"), "dong thap"),
        ("  ĐƯỜNG   Nguyễn Huệ ", "duong nguyen hue"),
        ("hoà / hòa, thuỷ / thủy", "hoa / hoa, thuy / thuy"),
        ("Ðồng (Icelandic eth)", "dong (icelandic eth)"),
        ("khiếu nại, tố cáo", "khieu nai, to cao"),
        ("", ""),
    ],
)
def test_vi_fold_meets_every_way_of_typing(typed: str, folded: str) -> None:
    assert vi_fold(typed) == folded


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (SEED_TITLE, "dong-thap-phoi-hop-tuyen-truyen-giam-sat-thuc-hien-nghi-quyet-68-nq-cp"),
        (
            unicodedata.normalize("NFD", SEED_TITLE),
            "dong-thap-phoi-hop-tuyen-truyen-giam-sat-thuc-hien-nghi-quyet-68-nq-cp",
        ),
        ("Giải quyết khiếu nại tố cáo tại Đồng Tháp", "giai-quyet-khieu-nai-to-cao-tai-dong-thap"),
        ("ĐƯỜNG đến trường!!!", "duong-den-truong"),
        ("  --Tin  nóng--  ", "tin-nong"),
        ("!!!", ""),
    ],
)
def test_slug_folds_vietnamese_and_d_stroke(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_title_is_cut_at_a_word_boundary() -> None:
    title = "Giải quyết khiếu nại tố cáo tại Đồng Tháp " * 10
    words = {"giai", "quyet", "khieu", "nai", "to", "cao", "tai", "dong", "thap"}
    assert slugify(title, max_length=41) == "giai-quyet-khieu-nai-to-cao-tai-dong-thap"
    cut = slugify(title, max_length=40)
    assert cut == "giai-quyet-khieu-nai-to-cao-tai-dong"
    assert set(cut.split("-")) <= words  # whole words only, never "tha"
    full = slugify(title)
    assert len(full) <= 120
    assert not full.endswith("-")
    assert set(full.split("-")) <= words


def test_single_overlong_word_is_still_cut() -> None:
    assert slugify("a" * 300, max_length=50) == "a" * 50


def test_seed_time_displays_as_on_the_seed_page() -> None:
    published = datetime(2022, 4, 29, 7, 47, tzinfo=UTC)
    assert display_time(published) == "14:47 - 29/04/2022"
    assert iso_time(published) == "2022-04-29T14:47:00+07:00"


def test_naive_vietnam_wall_clock_becomes_utc() -> None:
    assert local_to_utc(datetime(2022, 4, 29, 14, 47)) == datetime(2022, 4, 29, 7, 47, tzinfo=UTC)


def test_naive_stored_value_is_read_as_utc() -> None:
    assert display_time(datetime(2022, 4, 29, 7, 47)) == "14:47 - 29/04/2022"


def test_nfc_normalises_and_strips_control_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    assert nfc(decomposed + "\x00\x07\r\nmới") == "Nghị quyết\nmới"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert clean_line("  Minh \t Hằng \n") == "Minh Hằng"


def test_vietnamese_dictionary_order():
    from newsportal.text import vi_sort_key

    names = [
        "Zalo",
        "Đời sống",
        "Du lịch",
        "Ưu đãi",
        "Uống",
        "Âm nhạc",
        "Ăn uống",
        "An ninh",
        "Ơn",
        "Ô tô",
        "Ong",
        "Tọm",
        "Tóm",
        "Tõm",
        "Tỏm",
        "Tòm",
        "Tom",
        "Tôm",
    ]
    assert sorted(names, key=vi_sort_key) == [
        "An ninh",
        "Ăn uống",
        "Âm nhạc",
        "Du lịch",
        "Đời sống",
        "Ong",
        "Ô tô",
        "Ơn",
        "Tom",
        "Tòm",
        "Tỏm",
        "Tõm",
        "Tóm",
        "Tọm",
        "Tôm",
        "Uống",
        "Ưu đãi",
        "Zalo",
    ]
    nfd = __import__("unicodedata").normalize("NFD", "Đời sống")
    assert vi_sort_key(nfd)[:2] == vi_sort_key("Đời sống")[:2]


def test_menu_categories_sort_the_vietnamese_way_on_every_database(client, make_category):
    for name in ("Xã hội", "Đời sống", "Du lịch", "Ẩm thực", "Giáo dục"):
        make_category(name)
    page = client.get("/").get_data(as_text=True)
    order = [
        page.index(f">{name}<") for name in ("Ẩm thực", "Du lịch", "Đời sống", "Giáo dục", "Xã hội")
    ]
    assert order == sorted(order)


NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
]


def test_all_66_noncharacters_and_everything_xml_forbids_are_dropped() -> None:
    assert len(NONCHARACTERS) == 66
    forbidden = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]
    forbidden += ["\ud800", "\udbff", "\udc00", "\udfff", *NONCHARACTERS]
    for char in forbidden:
        assert nfc(f"Tin{char}mới") == "Tinmới", hex(ord(char))
        assert clean_line(f"Tin{char} mới") == "Tin mới", hex(ord(char))
        assert xml_safe(f"a{char}b") == "ab", hex(ord(char))
    assert nfc("cột\tmột\ndòng hai") == "cột\tmột\ndòng hai"
    assert xml_safe("\U0001f600 \ufffd \U000efffd") == "\U0001f600 \ufffd \U000efffd"  # allowed


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u00ad",
        "\u2060",
        "\u2061",
        "\u2064",
        "\ufeff",
        "\u180e",
        "\u202a",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u061c",
        "\u034f",
        "\ufe0f",
        "\U000e0041",
    ],
)
def test_names_and_single_lines_lose_invisible_format_characters(invisible: str) -> None:
    assert clean_line(f"Nguyễn{invisible} Văn{invisible}A") == "Nguyễn Văn" + "A"
    assert unicodedata.is_normalized("NFC", clean_line(f"Nguye{invisible}\u0302\u0303n"))


def test_a_blank_hangul_filler_in_a_name_reads_as_the_space_it_shows() -> None:
    assert clean_line("Nguyễn\u3164 Văn\u3164A") == "Nguyễn Văn A"


def test_body_text_keeps_emoji_joiners_but_loses_bidi_controls() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert nfc(f"Gia đình {family}") == f"Gia đình {family}"
    assert nfc("soft\u00adhyphen") == "soft\u00adhyphen"
    for control in ("\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069", "\ufeff"):
        assert nfc(f"14:47{control} - 29/04/2022") == "14:47 - 29/04/2022"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ɑ", "a"),  # Latin alpha U+0251
        ("а", "a"),  # Cyrillic a U+0430
        ("ο", "o"),  # Greek omicron
        ("ｎｇｕ", "ngu"),  # fullwidth
        ("Đồng Tháp", "dong thap"),
        ("đường", "duong"),
        (unicodedata.normalize("NFD", "Nguyễn Huệ"), "nguyen hue"),
        ("lừa\u200b đ\u00adả\u2060o", "lua dao"),
        ("", ""),
    ],
)
def test_match_key_folds_look_alikes_and_invisible_characters(typed: str, key: str) -> None:
    assert match_key(typed) == key


def test_match_key_keeps_vietnamese_words_apart() -> None:
    words = ["ngu", "người", "nguyễn", "mua", "rua", "lửa", "lúa", "đỏ", "đầy", "nghi", "nghỉ"]
    keys = {w: match_key(w) for w in words}
    assert keys["nghi"] == keys["nghỉ"] == vi_fold("nghi")  # accents fold, as in search
    distinct = {keys[w] for w in ("ngu", "người", "nguyễn", "mua", "rua", "lửa", "đỏ", "đầy")}
    assert len(distinct) == 8
    assert match_key("NGHI") == match_key("nghi")  # case folds before the skeleton (I is not l)
    for word in words:
        assert match_key(word.upper()) == match_key(word)


def test_timestamp_is_a_time_element_in_vietnam_time() -> None:
    html = timestamp(datetime(2022, 4, 29, 7, 47, tzinfo=UTC))
    assert isinstance(html, Markup)
    assert html == '<time datetime="2022-04-29T14:47:00+07:00">14:47 - 29/04/2022</time>'


def test_timestamp_reads_a_naive_stored_value_as_utc() -> None:
    html = timestamp(datetime(2022, 4, 29, 7, 47))
    assert html == '<time datetime="2022-04-29T14:47:00+07:00">14:47 - 29/04/2022</time>'


def test_timestamp_late_utc_evening_is_the_next_day_in_vietnam() -> None:
    html = timestamp(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    assert html == '<time datetime="2027-01-01T00:30:00+07:00">00:30 - 01/01/2027</time>'


def test_timestamp_without_a_value_is_an_empty_element() -> None:
    # What the macro it replaced rendered for None (an unpublished article's date).
    assert timestamp(None) == '<time datetime=""></time>'


def test_timestamp_filter_is_not_escaped_again_by_a_template(app: Flask) -> None:
    with app.app_context():
        page = render_template_string("{{ t|timestamp }}", t=datetime(2022, 4, 29, 7, 47))
    assert page == '<time datetime="2022-04-29T14:47:00+07:00">14:47 - 29/04/2022</time>'
