"""What a published result's title or summary must not say: anything that, read with the rest,
points to one complainant or names a person an unfounded denunciation accused.

The portal's stated policy (the "Công khai kết quả giải quyết" page): a complainant appears as
initials and at most the province, never a commune or ward next to the initials (in a commune
of a few thousand people that is enough to find them), never a full name, phone or ID number.
A denounced person is named only in a conclusion that found the denunciation true, in whole or
in part; "tố cáo không đúng" leaves them unnamed. These are patterns, not proof: they catch
what an editor pastes from the decision's heading, and the page says the rest is on the agency.
"""

from __future__ import annotations

import re

# Every capital letter Vietnamese writes (Latin with its accents and Đ), built once so the
# patterns below read as words, not as a wall of code points.
_UP = "".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper() and chr(c).isalpha())
_INITIALS = rf"(?<!\w)(?:[{_UP}]\.){{2,}}[{_UP}]?\.?"
_PLACE = r"(?:xã|phường|thị trấn|ấp|khóm|thôn|tổ dân phố)"
_BETWEEN = r"[\s,;:(–-]*(?:(?:ở|tại|thuộc|trú|cư trú|thường trú)[\s,]*)*"
_INITIALS_PLACE = re.compile(rf"{_INITIALS}{_BETWEEN}{_PLACE}\s+\w", re.I)
_TITLE_WORD = re.compile(r"(?<!\w)(?:ông|bà|anh|chị)\s+((?:\w+\s*){1,4})", re.I)
_ID_NUMBER = re.compile(r"(?<![\d./])\d{12}(?!\d|[.,/]\d)")
_PHONE = re.compile(r"(?<![\w/])(?:\+84|0)(?:[ .-]?\d){8,10}(?![\w/])")
_UNFOUNDED = re.compile(r"\b(?:tố cáo không đúng|tố cáo sai|không có căn cứ|sai sự thật)\b", re.I)


def _full_name(text: str) -> bool:
    """ "Ông/bà" followed by two or more capitalised words: a name, not "ông Chủ tịch"."""
    for match in _TITLE_WORD.finditer(text):
        capitals = 0
        for word in match.group(1).split():
            if not word[0].isupper():
                break
            capitals += 1
        if capitals >= 2:
            return True
    return False


def problem(text: str, *, complaint: bool, unfounded: bool) -> str | None:
    """The error code for what `text` gives away, or None. `complaint`: the person after
    "ông/bà" is the complainant; `unfounded`: a denunciation found untrue, so no one is named."""
    if _ID_NUMBER.search(text):
        return "id_number"
    if _PHONE.search(text):
        return "phone"
    if _INITIALS_PLACE.search(text):
        return "initials_place"
    if _full_name(text):
        if complaint:
            return "complainant_named"
        if unfounded:
            return "unfounded_named"
    return None


def unfounded(*texts: str) -> bool:
    return any(_UNFOUNDED.search(text) for text in texts)
