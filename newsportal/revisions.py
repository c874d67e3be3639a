"""What articles and information pages share: revision diffs."""

from __future__ import annotations

import difflib
from typing import Protocol


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
