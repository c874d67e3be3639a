"""What a writer changed since the item was last published, as the review page shows it.

One function, `since_published`, so a better diff (word level, rendered text) can replace
this line-by-line one without the review desk noticing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from ..revisions import Revisable

LineKind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Line:
    kind: LineKind
    text: str


def _lines(item: Revisable) -> list[str]:
    text = f"# {item.title}\n\n{item.lead}\n\n{item.body_md}"
    return [line for line in text.splitlines() if line.strip()]


def since_published(published: Revisable | None, pending: Revisable) -> list[Line]:
    """Every non-blank line of the title, lead and body, marked added, removed or the same;
    with nothing published yet, all of it is added."""
    before = _lines(published) if published is not None else []
    after = _lines(pending)
    found: list[Line] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            found += [Line("same", text) for text in before[a1:a2]]
            continue
        found += [Line("removed", text) for text in before[a1:a2]]
        found += [Line("added", text) for text in after[b1:b2]]
    return found
