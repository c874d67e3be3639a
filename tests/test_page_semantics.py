"""Accessibility the templates are responsible for, read from the rendered main pages.

What a screen reader or a keyboard user relies on and markup alone decides: language, skip link,
landmarks, labels, alt texts, heading outline, a visible focus. Contrast and the rest of WCAG are
checked by axe-core in a browser; these run in milliseconds on the pages main_pages.py renders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from .main_pages import Page, main_pages  # noqa: F401 (fixture)

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "site.css"
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}  # their text is their name


_parsed: dict[tuple[str, str], BeautifulSoup] = {}


def parse(page: Page) -> BeautifulSoup:
    """Each page parsed once for all the checks here (html5lib takes seconds over the lot); the
    checks only read the tree."""
    if (page.name, page.path) not in _parsed:
        _parsed[page.name, page.path] = BeautifulSoup(page.html, "html5lib")
    return _parsed[page.name, page.path]


def each_page(test: Callable[[BeautifulSoup, Page], object]) -> Callable[[list[Page]], None]:
    """Run a check on every page, reporting all offending pages at once."""

    def run(main_pages: list[Page]) -> None:  # noqa: F811
        failures = {}
        for page in main_pages:
            problems = test(parse(page), page)
            if problems:
                failures[f"{page.name} ({page.path})"] = problems
        assert not failures, "\n".join(f"{name}: {why}" for name, why in failures.items())

    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


def focusable(tag: Tag) -> bool:
    if tag.get("tabindex") == "-1" or tag.has_attr("disabled") or tag.has_attr("hidden"):
        return False
    if tag.name == "a":
        return tag.has_attr("href")
    if tag.name == "input":
        return tag.get("type") != "hidden"
    return tag.name in ("button", "select", "textarea", "summary") or tag.has_attr("tabindex")


@each_page
def test_html_lang_follows_the_interface_language(soup, page):
    lang = soup.html.get("lang")
    return None if lang == page.name.rsplit(".", 1)[1] else f"<html lang={lang!r}>"


@each_page
def test_skip_link_to_main_is_the_first_focusable_element(soup, page):
    first = next((tag for tag in soup.body.find_all(True) if focusable(tag)), None)
    if first is None or first.name != "a" or first.get("href") != "#main":
        return f"first focusable element is {first}"
    return None if first.get_text(strip=True) else "the skip link has no text"


@each_page
def test_one_main_landmark_with_the_skip_target(soup, page):
    mains = soup.find_all("main")
    if len(mains) != 1 or mains[0].get("id") != "main":
        return f"{len(mains)} <main>, id={mains[0].get('id') if mains else None!r}"
    return None


@each_page
def test_header_nav_footer_landmarks_and_labelled_navs(soup, page):
    problems = []
    # header and footer are banner and contentinfo only outside article, section, main etc.
    for landmark in ("header", "footer"):
        if not soup.body.find(landmark, recursive=False):
            problems.append(f"no page-level <{landmark}>")
    navs = soup.find_all("nav")
    if not navs:
        problems.append("no <nav>")
    if len(navs) > 1:
        labels = [accessible_label(soup, nav) for nav in navs]
        if not all(labels) or len(set(labels)) != len(labels):
            problems.append(f"navs need distinct labels: {labels}")
    return problems


def accessible_label(soup: BeautifulSoup, tag: Tag) -> str:
    if tag.get("aria-label"):
        return str(tag["aria-label"]).strip()
    ids = str(tag.get("aria-labelledby", "")).split()
    return " ".join(
        label.get_text(" ", strip=True) for i in ids if (label := soup.find(id=i)) is not None
    ).strip()


@each_page
def test_every_form_control_has_a_label(soup, page):
    unlabelled = []
    label_for = {str(label.get("for")) for label in soup.find_all("label") if label.get("for")}
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") in UNLABELLED_TYPES:
            continue
        if control.get("id") in label_for or control.find_parent("label"):
            continue
        if accessible_label(soup, control):
            continue
        unlabelled.append(str(control)[:120])
    return unlabelled


@each_page
def test_field_hints_and_errors_are_read_with_their_field(soup, page):
    problems = []
    for field in soup.select(".field"):
        control = field.find(["input", "select", "textarea"])
        described = str(control.get("aria-describedby", "")).split() if control else []
        name = f"#{control.get('id')}" if control else "a field without a control"
        for note in field.find_all(class_=["hint", "error"]):
            if note.get("id") not in described:
                problems.append(f"{name}: {note.get_text(strip=True)[:40]}")
        if field.select(".error") and (control is None or control.get("aria-invalid") != "true"):
            problems.append(f"{name} not marked aria-invalid")
    return problems


# ARIA 1.2 prohibits naming these roles: screen readers skip an aria-label put on them.
UNNAMEABLE = {"span", "div", "p", "strong", "em", "b", "i", "small", "code", "sub", "sup"}


@each_page
def test_aria_labels_sit_on_elements_that_can_be_named(soup, page):
    return [
        str(tag)[:120]
        for tag in soup.find_all(attrs={"aria-label": True})
        + soup.find_all(attrs={"aria-labelledby": True})
        if tag.name in UNNAMEABLE and not tag.get("role")
    ]


@each_page
def test_images_have_alt_text_or_are_marked_decorative(soup, page):
    return [str(img)[:120] for img in soup.find_all("img") if not img.has_attr("alt")]


@each_page
def test_headings_start_at_h1_and_skip_no_level(soup, page):
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    if not levels or levels[0] != 1:
        return f"headings start at {levels[:1]}"
    if levels.count(1) != 1:
        return f"{levels.count(1)} h1"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return f"skipped levels {skips} in {levels}" if skips else None


# The content is written in Vietnamese whatever the interface language: an English screen reader
# voice would read it unintelligibly unless it is marked (WCAG 3.1.2, language of parts).
VIETNAMESE_CONTENT = (
    "article.article h1, article.info-page h1, .lead, article .body, .card h3, .card .excerpt,"
    " .top-story h2, .search-result h2, .search-result .excerpt"
)


def language_of(tag: Tag) -> str | None:
    for element in (tag, *tag.parents):
        if isinstance(element, Tag) and element.has_attr("lang"):
            return str(element["lang"])
    return None


@each_page
def test_vietnamese_content_is_marked_as_vietnamese(soup, page):
    return [
        f"{tag.name}.{'.'.join(tag.get('class', []))} in lang={language_of(tag)!r}"
        for tag in soup.select(VIETNAMESE_CONTENT)
        if language_of(tag) != "vi"
    ]


def test_focus_is_visible_in_the_stylesheet():
    css = CSS.read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]*:focus-visible[^{}]*)\{([^}]*)\}", css)
    assert rules, "site.css has no :focus-visible rule"
    assert any(
        re.search(r"outline:\s*(?!none|0)\S", body) or "box-shadow" in body for _, body in rules
    ), rules


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_main_page_is_rendered_in_both_languages(main_pages, lang):  # noqa: F811
    """A page missing from the set would pass every check above without being looked at."""
    names = {page.name.rsplit(".", 1)[0] for page in main_pages if page.name.endswith(lang)}
    assert {
        "home",
        "article",
        "category",
        "search",
        "complaints",
        "login",
        "not-found",
        "editor-desk",
        "article-edit",
        "page-desk",
        "moderation",
        "login-error",
        "comment-errors",
    } <= names
