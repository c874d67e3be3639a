"""What articles and information pages share: what changed between two versions, in words.

Bodies are compared as readers read them (rendered through markup.py, then their text), word by
word, so the history shows "added: 5,8 tấn/ha" rather than Markdown syntax. The result is a list
of (op, text) segments that templates print through Jinja's autoescaping: no HTML is built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, NamedTuple, Protocol

from . import markup
from .text import clean_line, nfc

Op = Literal["equal", "insert", "delete"]
BREAK = "\n"  # between two blocks (paragraphs, headings, list items, table cells)
# Word by word costs about len(old) * len(new) in the worst case: past this, a rewritten passage
# is shown as removed then added, so a history page of a long article stays fast.
WORD_DIFF_BUDGET = 4_000_000
_WORD = re.compile(r"\S+\s*")


class Revisable(Protocol):
    title: str
    lead: str
    body_md: str


class Segment(NamedTuple):
    op: Op
    text: str


def _blocks(markdown: str) -> list[str]:
    """The body as readers read it, block by block; the source lines when it cannot render."""
    try:
        return markup.text_blocks(markup.render_article(nfc(markdown)))
    except markup.MarkupRefused:
        return [line for line in (clean_line(x) for x in nfc(markdown).splitlines()) if line]


def _tokens(blocks: list[str]) -> list[str]:
    """Words with the space after them (NFC: a Vietnamese letter and its marks stay one)."""
    tokens: list[str] = []
    for block in blocks:
        tokens.extend(_WORD.findall(block))
        tokens.append(BREAK)
    return tokens


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def _word_level(old: list[str], new: list[str], segments: list[Segment]) -> None:
    if len(old) * len(new) > WORD_DIFF_BUDGET:
        _append(segments, "delete", "".join(old))
        _append(segments, "insert", "".join(new))
        return
    # autojunk off: common words ("và", "của") are exactly what must still line up.
    matcher = SequenceMatcher(None, [t.rstrip() for t in old], [t.rstrip() for t in new], False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(segments, "equal", "".join(new[j1:j2]))
            continue
        _append(segments, "delete", "".join(old[i1:i2]))
        _append(segments, "insert", "".join(new[j1:j2]))


def diff_blocks(old: list[str], new: list[str]) -> list[Segment]:
    """Blocks first (an untouched paragraph costs nothing), then words inside changed ones."""
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old, new, False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_tokens, new_tokens = _tokens(old[i1:i2]), _tokens(new[j1:j2])
        if op == "equal":
            _append(segments, "equal", "".join(new_tokens))
        else:
            _word_level(old_tokens, new_tokens, segments)
    if segments:
        last = segments.pop()
        _append(segments, last.op, last.text.rstrip(BREAK))
    return segments


def word_diff(old_markdown: str, new_markdown: str) -> list[Segment]:
    """What changed from one body to the other in the rendered text, word by word."""
    return diff_blocks(_blocks(old_markdown), _blocks(new_markdown))


def text_diff(old: str, new: str) -> list[Segment]:
    """The same for a title or a lead (plain text, no Markdown)."""
    old_blocks = [line for line in (clean_line(x) for x in nfc(old).splitlines()) if line]
    new_blocks = [line for line in (clean_line(x) for x in nfc(new).splitlines()) if line]
    return diff_blocks(old_blocks, new_blocks)


def changed(segments: list[Segment]) -> bool:
    return any(segment.op != "equal" for segment in segments)


@dataclass(frozen=True)
class Changes:
    title: list[Segment]
    lead: list[Segment]
    body: list[Segment]

    @property
    def any(self) -> bool:
        return changed(self.title) or changed(self.lead) or changed(self.body)


def changes(old: Revisable, new: Revisable) -> Changes:
    """From `old` to `new`: title, lead and body."""
    return Changes(
        title=text_diff(old.title, new.title),
        lead=text_diff(old.lead, new.lead),
        body=word_diff(old.body_md, new.body_md),
    )
