"""What articles and information pages share: field errors from services, and revision diffs."""

from __future__ import annotations

import difflib
from typing import Protocol


class FieldError(ValueError):
    """A save that cannot go through; `field` names the form field to show `message` next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Revisable(Protocol):
    title: str
    lead: str
    body_md: str


def revision_diff(current: Revisable, revision: Revisable, revision_id: int) -> str:
    """What restoring `revision` would change, as a unified diff of the plain text."""

    def text(item: Revisable) -> list[str]:
        return f"# {item.title}\n\n{item.lead}\n\n{item.body_md}\n".splitlines(keepends=True)

    return "".join(
        difflib.unified_diff(
            text(current), text(revision), fromfile="current", tofile=f"revision {revision_id}"
        )
    )
