"""Vietnamese text: NFC clean-up, the search/slug fold, the matching key, and display times.

One fold serves slugs and search so that "Đồng Tháp", "ĐỒNG THÁP", "dong thap" and NFD-typed
input all meet. NFD + dropping marks is not enough on its own: đ/Đ have no decomposition.

Cleaning happens at every boundary where outside text comes in (forms, importer, comment
pipeline, CLI, services): `nfc` for body text, `clean_line` for names and single lines. What XML
1.0 forbids, the noncharacters and the 12 bidi controls are defined by number in the standards;
invisible format characters and UTS #39 confusable skeletons come from `disarm`, a maintained
package built on the Unicode data (its confusables table is Unicode's), not from lists typed here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import disarm

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DISPLAY_FORMAT = "%H:%M - %d/%m/%Y"

# The 66 noncharacters (Unicode 3.1+, "Noncharacter_Code_Point"): U+FDD0..U+FDEF and the last
# two code points of each of the 17 planes.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    re.escape(chr(plane * 0x10000 + 0xFFFE)) + "-" + re.escape(chr(plane * 0x10000 + 0xFFFF))
    for plane in range(17)
)
# đ, Đ and their look-alikes (Icelandic eth from legacy converters) do not decompose.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
# Outside XML 1.0's Char production (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF),
# plus C1 controls and all 66 noncharacters: one of them in a title made /feed.xml a 500.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]")
# Unicode's Bidi_Control property (PropList.txt) is these 12 code points; U+FEFF beside them.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def without_controls(value: str) -> str:
    """Drop what XML 1.0 forbids, C1 controls and noncharacters (keeps tab and newlines)."""
    return _FORBIDDEN.sub("", value)


def xml_safe(value: str | None) -> str:
    """The output guard of feed, sitemap and calendar writers, for rows stored before cleaning."""
    return without_controls(value or "")


def strip_invisible(value: str) -> str:
    """Drop invisible format characters (zero-width, soft hyphen, bidi controls, BOM, variation
    selectors, tags ...)."""
    return str(disarm.strip_variation_selectors(disarm.strip_format(value)))


def nfc(value: str | None) -> str:
    """Body text: NFC, no forbidden or bidi control characters (keeps tab and newlines)."""
    if not value:
        return ""
    text = without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
    # Bidi embeddings, overrides and isolates (and BOMs pasted from files) go from body text too:
    # an unclosed U+202E reorders whatever follows it. ZWJ/ZWNJ, soft hyphens and zero-width
    # spaces stay in bodies (emoji sequences, line-break hints); matching ignores them.
    text = _BIDI_CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(value: str | None) -> str:
    """A name or single-line field: NFC, no invisible characters, whitespace collapsed, trimmed."""
    # nfc first (disarm takes no lone surrogates), NFC again: a dropped character may have sat
    # between a letter and its mark.
    visible = unicodedata.normalize("NFC", strip_invisible(nfc(value)))
    return _SPACES.sub(" ", visible).strip()


def skeleton(value: str) -> str:
    """The UTS #39 confusable skeleton: Latin ɑ and Cyrillic а both become a."""
    return str(disarm.skeleton_key(value))


def match_key(value: str | None) -> str:
    """What banned words are matched on, the same for the rule and the text.

    Invisible characters go, compatibility forms fold (NFKC: fullwidth ｎ is n), case folds,
    confusables fold to their skeleton, then the Vietnamese fold drops marks. Vietnamese letters
    keep their base letter (disarm keeps m apart from rn), the same on both sides.
    """
    visible = strip_invisible(without_controls(value or ""))
    return vi_fold(skeleton(unicodedata.normalize("NFKC", visible).casefold()))


def vi_fold(value: str | None) -> str:
    """Search key: no marks, đ -> d, case-folded, whitespace collapsed."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", bare.translate(_D_MAP)).casefold()
    return _SPACES.sub(" ", folded).strip()


# The Vietnamese alphabet: ă and â come after a, đ after d, ê after e, ô and ơ after o, ư after u.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng (after ngang)


def vi_sort_key(value: str | None) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Dictionary order for Vietnamese names, the same on every database.

    Letters first (đ after d, ư after u), then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then
    case. Binary collation (SQLite) puts "Đ" after "Z"; a server's locale may differ again.
    """
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", value or "").casefold():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter = base
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES.index(mark) + 1
            elif base == "o" and mark == "\u0302":
                letter = "ô"
            elif base == "e" and mark == "\u0302":
                letter = "ê"
            elif base == "u" and mark == "\u031b":
                letter = "ư"
            elif mark in _LETTER_MARKS:
                letter = _LETTER_MARKS[mark] if base in "ao" else base
        position = _ALPHABET.find(letter)
        letters.append(position if position >= 0 else 100 + ord(letter))
        tones.append(tone)
    return tuple(letters), tuple(tones), value or ""


def slugify(value: str | None, max_length: int = 120) -> str:
    """URL slug from the fold, cut at a word (hyphen) boundary, never mid-word."""
    slug = _NON_SLUG.sub("-", vi_fold(value)).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    head = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return head.strip("-")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Aware UTC from a stored value; SQLite hands back naive datetimes that are UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_to_utc(value: datetime) -> datetime:
    """A naive wall-clock time typed in Vietnam, as aware UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(VN_TZ)


def local_today() -> date:
    """Today in Vietnam: the header's date line, and so a part of the page cache key."""
    return to_local(utcnow()).date()


def display_time(value: datetime | None) -> str:
    """`HH:mm - dd/MM/yyyy` in Asia/Ho_Chi_Minh, as on the seed page."""
    if value is None:
        return ""
    return to_local(value).strftime(DISPLAY_FORMAT)


def iso_time(value: datetime | None) -> str:
    """ISO 8601 with the Vietnam offset, for `<time datetime>`."""
    if value is None:
        return ""
    return to_local(value).isoformat(timespec="seconds")


def _decree_30_parts(value: date) -> tuple[str, str, str]:
    # Decree 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero, so
    # "01/7/2026" and "05/02/2026"; the others are written as they are ("20/11/2026").
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{value.day:02d}", month, str(value.year)


def display_date(value: date | datetime | None) -> str:
    """A date as Vietnamese administrative prose writes it, `01/7/2026` (a time: its day in
    Vietnam). Article timestamps keep the seed's `HH:mm - dd/MM/yyyy`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return "/".join(_decree_30_parts(value))


def document_date(value: date) -> str:
    """`ngày 01 tháng 7 năm 2026`, as a decision's place-and-date line writes it."""
    day, month, year = _decree_30_parts(value)
    return f"ngày {day} tháng {month} năm {year}"


def display_clock(value: datetime | None) -> str:
    """`HH:mm` in Asia/Ho_Chi_Minh."""
    return to_local(value).strftime("%H:%M") if value is not None else ""


@lru_cache(maxsize=8192)
def _key_char(ch: str) -> str:
    """One character's part of `match_key`: whitespace stays a space, invisible ones vanish."""
    return " " if ch.isspace() else match_key(ch)


def mapped_with_origin(text: str, per_char: Callable[[str], str]) -> tuple[str, list[int]]:
    """`text` rewritten one character at a time (to none, one or several), with the index in
    `text` each output character came from: a hit in the output maps back to the original."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for out in per_char(ch):
            chars.append(out)
            origin.append(i)
    return "".join(chars), origin


def _keyed(text: str) -> tuple[str, list[int]]:
    """`text`'s matching key, with where each key character came from."""
    return mapped_with_origin(text, _key_char)


def _term_pattern(term: str) -> re.Pattern[str] | None:
    words = match_key(term).split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


def matching_terms(text: str, terms: Sequence[str]) -> list[str]:
    """The `terms` found in `text` as whole words, by the same matcher as `match_spans` (a term
    has hits there exactly when it is listed here); the text's key is built once for all."""
    hay, _origin = _keyed(text)
    found = []
    for term in terms:
        pattern = _term_pattern(term)
        if pattern is not None and pattern.search(hay):
            found.append(term)
    return found


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where in `text` the whole-word `terms` are, matched on the key banned words use.

    The key is built one character at a time with where each of its characters came from, so a
    hit is also a place in the original text: the rules decide with it and the moderation queue
    marks the same words. Overlapping hits merge; spans are in order.
    """
    hay, origin = _keyed(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        for hit in pattern.finditer(hay):
            end = origin[hit.end() - 1] + 1
            while end < len(text) and not _key_char(text[end]):
                end += 1  # marks typed apart (NFD) and invisible characters stay with the word
            found.append((origin[hit.start()], end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
