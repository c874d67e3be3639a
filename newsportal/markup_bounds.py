"""What keeps rendering an article body linear in its length, whatever shape the text has.

Python-Markdown, html.parser and html5lib have paths whose cost grows with the square of the
input (a link scan from every unclosed "[" to the end of its paragraph, a start-tag scan from
every unclosed "<a" to the end of the text, a recursion per nesting level). `check_source`
measures those costs in one linear pass BEFORE Markdown sees the text and refuses a body that
exceeds them; `ShapeGuard` refuses a Markdown tree too deep (emphasis runs) or too dense; the
remaining quadratic pieces of the libraries are replaced by linear equivalents here.
A refusal is a `MarkupRefused`, a FieldError on the body: the forms show it next to the text.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.treeprocessors import Treeprocessor

from .errors import FieldError

# Deeper than any real article (pasted office HTML nests ~15), far below Python's recursion limit.
MAX_DEPTH = 64
# Characters the link and start-tag scans may read in all, beyond one pass over the text.
SCAN_ALLOWANCE = 50_000
SCAN_FACTOR = 2
# Re-searching a split block runs in C at about 50 ns a character (the scans above: 0.2-0.6 µs),
# so it may read more: headings and paragraphs pasted without blank lines stay well inside.
SPLIT_FACTOR = 50
SPLIT_ALLOWANCE = 1_000_000
# Elements per character of the body (a row "|1|2|" of 6 characters makes 3, "- a" makes 1):
# cost is per element, so a body denser than this costs more than ordinary text of its length.
ELEMENT_DENSITY = 0.15
ELEMENT_ALLOWANCE = 2_000

# End tags that are optional or never written: they do not nest in the parsed page.
_FLAT_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody",
     "tfoot", "colgroup", "caption", "option", "optgroup", "rb", "rt", "rp"}
)  # fmt: skip
# Possessive (*+): a failed match must not back off character by character (quadratic).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)([^<>]*+)>")
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
# Quote markers, then indentation, then list markers ("- - - x" nests three lists).
_CONTAINER = re.compile(
    r"^((?:[ ]{0,3}>[ ]?)*+)([ \t]*+)((?:(?:[*+-]|\d++[.)])[ \t]++)*+)", re.MULTILINE
)
_MARKER = re.compile(r"[*+-]|\d+[.)]")
# A run of 2k "*" or "_" against a word opens or closes k nested emphasis elements. Only run
# starts are tried (lookbehind), and possessively, so a 200,000-character run costs one pass.
_RUN = 2 * MAX_DEPTH + 2
_EMPHASIS_RUN = re.compile(
    rf"(?<=[^*_\s])(?:\*{{{_RUN},}}|_{{{_RUN},}})|(?<![*_])(?:\*{{{_RUN},}}+|_{{{_RUN},}}+)(?=[^*_\s])"
)
# Links and pictures (their addresses are checked) and code (escaped) cost about two elements.
_WEIGHT = {"a": 2, "img": 2, "code": 2}
_BRACKET = re.compile(r"\\.|[\[\]()]")
# Lines that make Python-Markdown split a block and search the rest again from the start:
# headings, rules and setext underlines, reference definitions (inside quotes too).
_SPLIT_LINE = re.compile(
    r"^(?:[ ]{0,3}>[ ]?)*[ ]{0,3}(?:#|[-=*_][-=*_ ]*$|\[[^\]\n]*\]:)", re.MULTILINE
)


class MarkupRefused(FieldError):
    """A body whose shape cannot be rendered in time (code too_deep or too_complex).

    Its own type because rendering is not a service: a preview or an import renders outside
    one and catches exactly this; a service lets it through as the FieldError it is."""

    def __init__(self, message: str) -> None:
        super().__init__("body", message)


def check_source(source: str) -> None:
    """Refuse, in one linear pass, a body Markdown could not render in linear time."""
    # Code blocks are stashed before any of the scans below, so their text costs nothing;
    # each still makes a <pre><code> (three elements' worth, with the code's escaping).
    text, fences = FencedBlockPreprocessor.FENCED_BLOCK_RE.subn("\n", source)
    budget = SCAN_FACTOR * len(text) + SCAN_ALLOWANCE
    if _container_depth(text) > MAX_DEPTH or _html_depth(text) > MAX_DEPTH:
        raise MarkupRefused("too_deep")
    if _EMPHASIS_RUN.search(text):
        raise MarkupRefused("too_deep")
    # Every "<" opens a tag or becomes an entity, every "&" an entity: a node for the parsers;
    # every "\\" an escape, which Markdown stashes and splices back into its paragraph.
    nodes = text.count("<") + text.count("&") + text.count("\\") + 3 * fences
    if nodes > max_elements(source):
        raise MarkupRefused("too_complex")
    if max(_bracket_scan_cost(text), _tag_scan_cost(text)) > budget:
        raise MarkupRefused("too_complex")
    if _block_split_cost(text) > SPLIT_FACTOR * len(text) + SPLIT_ALLOWANCE:
        raise MarkupRefused("too_complex")


def max_elements(source: str) -> int:
    return int(ELEMENT_DENSITY * len(source)) + ELEMENT_ALLOWANCE


def _container_depth(text: str) -> int:
    """Blockquote markers plus list indentation levels of the deepest line."""
    deepest = 0
    for match in _CONTAINER.finditer(text):
        quotes = match.group(1).count(">")
        markers = len(_MARKER.findall(match.group(3)))
        indent = len(match.group(2).expandtabs(4)) // 4 if markers else 0
        deepest = max(deepest, quotes + indent + markers)
    return deepest


def _html_depth(text: str) -> int:
    """How deep raw HTML tags nest, counting unclosed ones (as html5lib will)."""
    stack: list[str] = []
    deepest = 0
    for match in _TAG.finditer(text):
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if name in _FLAT_TAGS or rest.endswith("/"):
            continue
        if not closing:
            stack.append(name)
            deepest = max(deepest, len(stack))
            if deepest > MAX_DEPTH:
                break
        elif name in stack:
            while stack.pop() != name:
                pass
    return deepest


def _bracket_scan_cost(text: str) -> int:
    """Characters Python-Markdown reads looking for the "]" of every "[", and the ")" of every
    "](" (each scan runs to the closing one, or to the end of the paragraph)."""
    cost = 0
    for block in text.split("\n\n"):
        brackets: list[int] = []
        parens: list[tuple[int, bool]] = []  # where, and whether a link's address starts there
        for match in _BRACKET.finditer(block):
            char, at = match.group(), match.start()
            if char == "[":
                brackets.append(at)
            elif char == "]" and brackets:
                cost += at - brackets.pop()
            elif char == "(":
                parens.append((at, block[at - 1 : at] == "]"))
            elif char == ")" and parens:
                start, link = parens.pop()
                cost += (at - start) * link
        cost += sum(len(block) - start for start in brackets)
        cost += sum(len(block) - start for start, link in parens if link)
    return cost


def _block_split_cost(text: str) -> int:
    """Characters searched again after each line that splits its block (to the block's end)."""
    cost = 0
    for block in text.split("\n\n"):
        cost += sum(len(block) - match.start() for match in _SPLIT_LINE.finditer(block))
    return cost


def _tag_scan_cost(text: str) -> int:
    """Characters html.parser reads from every "<" that may open a tag to the next ">"."""
    cost = 0
    next_gt = -1
    for match in _TAG_OPEN.finditer(text):
        start = match.start()
        if next_gt < start:
            next_gt = text.find(">", start)
            if next_gt == -1:
                next_gt = len(text)
        cost += next_gt - start
    return cost


class ShapeGuard(Treeprocessor):
    """Refuse a tree nested deeper than MAX_DEPTH (a run of 500 "*" nests 250 elements) or
    with more elements than the body's length allows."""

    def __init__(self, md: Markdown, max_elements: int) -> None:
        super().__init__(md)
        self.max_elements = max_elements

    def run(self, root: Element) -> None:
        stack = [(root, 0)]
        count = 0
        while stack:
            element, depth = stack.pop()
            count += _WEIGHT.get(element.tag, 1)
            if depth > MAX_DEPTH:
                raise MarkupRefused("too_deep")
            if count > self.max_elements:
                raise MarkupRefused("too_complex")
            stack.extend((child, depth + 1) for child in element)


class _LinearTable(TableProcessor):
    """The tables test read every line of a block on every try: now only the lines it needs."""

    def test(self, parent: Element, block: str) -> bool:
        # The verdict depends on the first two lines, and for a one-column table on the pipe
        # lines after them up to the first line without one: pass only those lines on.
        start = index = 0
        while (end := block.find("\n", start)) != -1:
            row = block[start:end].strip(" ")
            if index and not (row.startswith("|") or self.RE_END_BORDER.search(row)):
                return bool(super().test(parent, block[:end]))
            start, index = end + 1, index + 1
        return bool(super().test(parent, block))


class BoundsExtension(Extension):
    """The tree checks, after inline patterns made their elements, before anything serialises."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.max_elements = max_elements(source)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(ShapeGuard(md, self.max_elements), "shape_guard", 15)


class LinearTableExtension(TableExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        linear = _LinearTable(md.parser, self.getConfigs())
        md.parser.blockprocessors.register(linear, "table", 75)  # replaces the stock one


def linear_walker(base: Any) -> Any:
    """html5lib's etree walker looked up each parent's index among its siblings with list.count
    and list.index, so an element with 30,000 rows cost 30,000 squared: index each parent once."""

    class LinearWalker(base):
        def __init__(self, tree: Any) -> None:
            super().__init__(tree)
            self._positions: dict[int, dict[int, int]] = {}

        def getParentNode(self, node: Any) -> Any:
            if not isinstance(node, tuple) or node[3] == "text":
                return super().getParentNode(node)
            parents = node[2]
            parent = parents.pop()
            if not parents:
                return parent
            grand = parents[-1]
            positions = self._positions.get(id(grand))
            if positions is None:
                positions = {id(child): i for i, child in enumerate(grand)}
                self._positions[id(grand)] = positions
            return parent, positions[id(parent)], parents, None

    return LinearWalker
