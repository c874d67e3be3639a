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


def nfc(value: str | None) -> str:
    """NFC-normalise and drop control characters (keeps tab and newlines)."""
    if not value:
        return ""
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
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
