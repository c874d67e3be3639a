"""CSV cells a spreadsheet opens as text: the staff exports (moderation audit, security log)."""

from __future__ import annotations

# Spreadsheets run a cell that starts with = + - @ as a formula, and so does CJK Excel with their
# full-width forms; a tab, CR or LF before one is dropped on import. Spaces may be trimmed too, so
# they hide nothing.
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_CONTROL_STARTS = frozenset("\t\r\n")


def safe_cell(value: object) -> str:
    """A CSV cell no spreadsheet runs: one that could start a formula gets a leading '."""
    text = str(value)
    if text[:1] in _CONTROL_STARTS or text.lstrip()[:1] in _FORMULA_STARTS:
        return "'" + text
    return text
