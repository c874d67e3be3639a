"""The one place that decides what HTML may reach a page.

Article bodies: Python-Markdown, then bleach with an allow-list fit for news. Editors may paste
raw HTML; anything outside the list is stripped, and the contents of script-like elements are
dropped whole rather than left behind as stray text. Runs once, when the text is saved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, MutableMapping, Sequence
from datetime import datetime
from functools import lru_cache
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit

import bleach
import html5lib
import markdown
from flask import render_template
from html5lib.filters.base import Filter
from html5lib.serializer import HTMLSerializer
from markupsafe import Markup, escape

from .markup_bounds import BoundsExtension, LinearTableExtension, check_source, linear_walker
from .markup_bounds import MarkupRefused as MarkupRefused  # what callers catch
from .text import DISPLAY_FORMAT, mapped_with_origin, match_spans, to_local, vi_fold

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "em",
        "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align", "scope"],
    "ol": ["start"],
}
# What the stored HTML may hold: the above plus what _LinkPolicy adds itself.
ARTICLE_OUTPUT_ATTRIBUTES: dict[str, list[str]] = {
    **ARTICLE_ATTRIBUTES,
    "a": [*ARTICLE_ATTRIBUTES["a"], "rel"],
    "img": [*ARTICLE_ATTRIBUTES["img"], "loading"],
}
PROTOCOLS = frozenset({"http", "https", "mailto"})
# Their text is code or markup, never prose: drop it with the element.
_DROP_WHOLE = frozenset(
    {"script", "style", "iframe", "svg", "math", "object", "embed", "template", "noscript",
     "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "head"}
)  # fmt: skip

_ETREE_WALKER = linear_walker(html5lib.getTreeWalker("etree"))


def _markdown_extensions(source: str) -> list[Any]:
    return [
        LinearTableExtension(use_align_attribute=True),
        "sane_lists",
        "fenced_code",
        BoundsExtension(source),
    ]


class _LinkPolicy(Filter):
    """Every link gets rel=noopener; links leaving the site also nofollow."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attrs = dict(token.get("data") or {})
                href = attrs.get((None, "href"), "")
                rel = ["noopener"]
                # Browsers read "/\\host" and "\\\\host" as another site: judge them so.
                if urlsplit(href.replace("\\", "/")).netloc:
                    rel += ["nofollow", "noreferrer"]
                attrs[(None, "rel")] = " ".join(rel)
                token["data"] = attrs
            elif token["type"] == "EmptyTag" and token["name"] == "img":
                attrs = dict(token.get("data") or {})
                if not attrs.get((None, "src")):
                    continue
                attrs[(None, "loading")] = "lazy"
                token["data"] = attrs
            yield token


_article_cleaner = bleach.Cleaner(
    tags=ARTICLE_TAGS,
    attributes=ARTICLE_OUTPUT_ATTRIBUTES,
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkPolicy],
)
_article_cleaner.walker = linear_walker(_article_cleaner.walker)


def _drop_script_like(html: str) -> str:
    """Remove script-like elements with their contents; demote h1 to h2."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    _prune(fragment)
    walker = _ETREE_WALKER
    serializer = HTMLSerializer(
        quote_attr_values="always", omit_optional_tags=False, resolve_entities=False
    )
    return "".join(serializer.serialize(walker(fragment)))


def _prune(root: Any) -> None:
    # A loop, not recursion: nesting depth must not reach Python's recursion limit.
    stack = [root]
    while stack:
        element = stack.pop()
        kept: list[Any] = []
        for child in element:
            tag = child.tag.rsplit("}", 1)[-1].lower() if isinstance(child.tag, str) else ""
            if tag == "h1":
                child.tag = "h2"  # the page's own h1 is the article title
            if tag not in _DROP_WHOLE:
                kept.append(child)
                stack.append(child)
            elif child.tail:
                if kept:
                    kept[-1].tail = (kept[-1].tail or "") + child.tail
                else:
                    element.text = (element.text or "") + child.tail
        if len(kept) != len(element):
            element[:] = kept


def render_article(source: str) -> str:
    """Markdown from an editor -> safe HTML for the article page.

    Raises MarkupRefused (a FieldError on "body") for a shape that cannot be rendered in time
    linear in its length; see markup_bounds.
    """
    if not source.strip():
        return ""
    check_source(source)
    html = markdown.markdown(source, extensions=_markdown_extensions(source), output_format="html")
    return _article_cleaner.clean(_drop_script_like(html)).strip()


# Reader comments: plain text in, and only paragraphs, line breaks and links out.
_COMMENT_REL = "nofollow ugc noopener"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n+")
COMMENT_TAGS = frozenset({"p", "br", "a"})
COMMENT_ATTRIBUTES: dict[str, list[str]] = {"a": ["href", "rel"]}
COMMENT_PROTOCOLS = frozenset({"http", "https"})
_comment_cleaner = bleach.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=COMMENT_PROTOCOLS,
    strip=False,
)


def _comment_link(attrs: MutableMapping[Any, str], new: bool = False) -> Any:
    """Only what the reader typed as an http(s) URL becomes a link; bare domains stay text."""
    text = attrs.get("_text", "")
    href = attrs.get((None, "href"), "")
    if not (text.lower().startswith(("http://", "https://")) and href == text):
        return None
    attrs[(None, "rel")] = _COMMENT_REL
    return attrs


def render_comment(text: str) -> str:
    """A reader's plain text -> HTML: everything escaped, bare URLs linked, paragraphs kept."""
    paragraphs = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    html = []
    for paragraph in paragraphs:
        escaped = html_escape(paragraph, quote=False)
        linked = bleach.linkify(escaped, callbacks=[_comment_link], parse_email=False)
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return _comment_cleaner.clean("".join(html))


def count_links(text: str) -> int:
    return len(re.findall(r"(?i)\bhttps?://|\bwww\.", text))


# Search results: plain text out of stored HTML, and highlighted snippets.
_BLOCKS = frozenset(
    {"p", "li", "br", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th",
     "figcaption", "caption", "hr", "div"}
)  # fmt: skip
SNIPPET_SCAN = 20_000  # a snippet is looked for in the first 20,000 characters only: fast


# After each block: whitespace to str.split() (so plain_text joins blocks with a space), and not
# a character Markdown's soft line breaks leave inside a paragraph.
_BLOCK_END = "\u2029"


def _block_text(html: str) -> str:
    """The text of sanitised HTML with _BLOCK_END after each block."""
    if not html:
        return ""
    root = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    parts: list[str] = []

    def walk(element: Any) -> None:
        parts.append(element.text or "")
        for child in element:
            walk(child)
            tag = child.tag.rsplit("}", 1)[-1].lower() if isinstance(child.tag, str) else ""
            if tag in _BLOCKS:
                parts.append(_BLOCK_END)
            parts.append(child.tail or "")

    walk(root)
    return "".join(parts)


def plain_text(html: str) -> str:
    """The text of sanitised HTML, blocks separated by a space, whitespace collapsed."""
    return " ".join(_block_text(html).split())


def text_blocks(html: str) -> list[str]:
    """The text of sanitised HTML as readers read it, one string per paragraph, heading, list
    item or table cell, whitespace collapsed (what the revision history compares)."""
    lines = (" ".join(line.split()) for line in _block_text(html).split(_BLOCK_END))
    return [line for line in lines if line]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return vi_fold(ch) or ("" if unicodedata.combining(ch) else ch)


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded one character at a time, with where each folded character came from."""
    return mapped_with_origin(text, _fold_char)


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    folded, origin = _folded(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        words = term.split()
        if not words:
            continue
        pattern = r"(?<![^\W_])" + r"\s+".join(map(re.escape, words)) + r"(?![^\W_])"
        for match in re.finditer(pattern, folded):
            found.append((origin[match.start()], origin[match.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Sequence[str], width: int | None = None) -> Markup:
    """`text` escaped, with the words matching the folded `terms` wrapped in <mark>.

    Matching is on the folded text (so "dong" marks "Đồng"), the marks are placed on the
    original characters. With `width`, a window of about that many characters around the first
    match (or the start) is shown, cut at spaces, with an ellipsis where text was left out.
    """
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        spans = _spans(text[:SNIPPET_SCAN], terms)
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 3)
        if start:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    window = text[start:end]
    pieces: list[str] = ["…" if start else ""]
    at = 0
    for span_start, span_end in _spans(window, terms):
        pieces.append(html_escape(window[at:span_start]))
        pieces.append("<mark>" + html_escape(window[span_start:span_end]) + "</mark>")
        at = span_end
    pieces.append(html_escape(window[at:]))
    pieces.append("…" if end < len(text) else "")
    return Markup("".join(pieces))  # noqa: S704 - every piece of text above was escaped


# The moderation queue: a comment's held or banned words marked where the rules found them.
class _MarkTerms(Filter):
    """Wraps each whole-word hit of `terms` in the text (never in tags or attributes) in <mark>."""

    def __init__(self, source: Any, terms: Sequence[str]) -> None:
        super().__init__(source)
        self.terms = terms

    def __iter__(self) -> Iterator[dict[str, Any]]:
        text: list[str] = []
        for token in super().__iter__():
            if token["type"] in ("Characters", "SpaceCharacters"):
                text.append(token["data"])
                continue
            yield from self._marked("".join(text))
            text = []
            yield token
        yield from self._marked("".join(text))

    def _marked(self, text: str) -> Iterator[dict[str, Any]]:
        at = 0
        for start, end in match_spans(text, self.terms):
            if start > at:
                yield {"type": "Characters", "data": text[at:start]}
            yield {"type": "StartTag", "name": "mark", "namespace": None, "data": {}}
            yield {"type": "Characters", "data": text[start:end]}
            yield {"type": "EndTag", "name": "mark", "namespace": None}
            at = end
        if at < len(text):
            yield {"type": "Characters", "data": text[at:]}


def mark_terms(html: str, terms: Sequence[str]) -> Markup:
    """Sanitised HTML (a comment's body_html) with the rule terms it contains marked.

    The text is parsed and serialised again, so whatever it holds comes out escaped; only the
    <mark> elements are added."""
    if not terms:
        return Markup(html)  # noqa: S704 - body_html came out of render_comment()
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    serializer = HTMLSerializer(
        quote_attr_values="always", omit_optional_tags=False, resolve_entities=False
    )
    tokens = _MarkTerms(_ETREE_WALKER(fragment), terms)
    return Markup("".join(serializer.serialize(tokens)))  # noqa: S704 - serialised, escaped


def mark_text(text: str, terms: Sequence[str]) -> Markup:
    """Plain text (a commenter's name) escaped, with the rule terms it contains marked."""
    return mark_terms(html_escape(text, quote=False), terms) if terms else Markup.escape(text)


def timestamp(value: datetime | None) -> Markup:
    """`<time datetime="ISO">HH:mm - dd/MM/yyyy</time>` in Vietnam time: every date a page shows.

    A filter rather than a Jinja macro: pages call it once per comment, card and row. The same
    strings as iso_time() and display_time(), from one conversion; both escaped here, as
    autoescaping did in the macro (an f-string: Markup.format costs as much as the rest).
    """
    if value is None:
        return Markup('<time datetime=""></time>')
    local = to_local(value)
    iso = escape(local.isoformat(timespec="seconds"))
    shown = escape(local.strftime(DISPLAY_FORMAT))
    return Markup(f'<time datetime="{iso}">{shown}</time>')  # noqa: S704 - both values escaped


def fragment(template: str, **context: Any) -> Markup:
    """A partial template rendered on its own, to be placed in a page as it is (a fragment cache
    keeps these): Jinja's autoescaping wrote every value in it, as in any page."""
    return Markup(render_template(template, **context))  # noqa: S704 - autoescaped by Jinja
