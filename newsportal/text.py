"""Vietnamese text: NFC clean-up, the search/slug fold, and display times.

One fold serves slugs and search so that "Đồng Tháp", "ĐỒNG THÁP", "dong thap" and NFD-typed
input all meet. NFD + dropping marks is not enough on its own: đ/Đ have no decomposition.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DISPLAY_FORMAT = "%H:%M - %d/%m/%Y"

# đ, Đ and their look-alikes (Icelandic eth from legacy converters) do not decompose.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def without_controls(value: str) -> str:
    """Drop control characters, NUL among them (keeps tab and newlines)."""
    return _CONTROL.sub("", value)


def nfc(value: str | None) -> str:
    """NFC-normalise and drop control characters (keeps tab and newlines)."""
    if not value:
        return ""
    text = without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text)


def clean_line(value: str | None) -> str:
    """A single-line field: NFC, whitespace runs collapsed, trimmed."""
    return _SPACES.sub(" ", nfc(value)).strip()


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


def display_date(value: date | datetime | None) -> str:
    """`dd/MM/yyyy`, the way Vietnamese documents write dates (a time: its day in Vietnam)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def display_clock(value: datetime | None) -> str:
    """`HH:mm` in Asia/Ho_Chi_Minh."""
    return to_local(value).strftime("%H:%M") if value is not None else ""
