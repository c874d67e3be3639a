"""In English, every piece of Vietnamese-only content is marked lang="vi" (WCAG 3.1.2).

The content (titles, bodies, category names, the site name, contacts) exists only in Vietnamese;
an English screen-reader voice reads it unintelligibly unless its element says so. The interface
around it is translated, so any Vietnamese letter outside a lang="vi" element is either content
left unmarked or an interface string missing its English translation. The pages are main_pages.py's
(the demo content loaded), shared with the validity and the semantics tests.
"""

from __future__ import annotations

import unicodedata

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype

from .main_pages import Page, main_pages  # noqa: F401 (fixture)

# Attributes a reader hears or sees; the others (href, value, data-*) are not read as text.
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
# Not text a reader meets in the page: <title> cannot carry lang, <head> is metadata.
SKIPPED = ("head", "script", "style", "template")
READER_PAGES = (
    "home",
    "home-page-2",
    "article",
    "article-picture",
    "category",
    "author",
    "tag",
    "search",
    "complaints",
    "complaints-guide",
    "reception-schedule",
    "published-results",
    "legal-documents",
    "where-to-send",
    "contact",
    "privacy-note",
    "not-found",
    "comment-errors",
    "login",
    "forgot-password",
    "reset-password",
    "login-error",
    "unsubscribe",
)


def vietnamese(text: str) -> bool:
    """A letter English never writes: đ, or one with a diacritic (ă, ơ, ư, ạ, ế...)."""
    return any(
        ch in "đĐ" or (ch.isalpha() and len(unicodedata.normalize("NFD", ch)) > 1) for ch in text
    )


def language_of(tag: Tag) -> str | None:
    for element in (tag, *tag.parents):
        if element.has_attr("lang"):
            return str(element["lang"])
    return None


def unmarked_vietnamese(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html5lib")
    found = []
    for text in soup.find_all(string=True):
        parent = text.parent
        if isinstance(text, (Comment, Doctype)) or parent.name in SKIPPED:
            continue
        if parent.find_parent(SKIPPED):
            continue
        if vietnamese(text) and language_of(parent) != "vi":
            found.append(f"<{parent.name} class={parent.get('class')}> {text.strip()[:60]!r}")
    for tag in soup.body.find_all(True) if soup.body else []:
        for attribute in READ_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and vietnamese(value) and language_of(tag) != "vi":
                found.append(f"<{tag.name} {attribute}={value[:60]!r}>")
    return found


def test_the_check_sees_unmarked_vietnamese():
    """The check itself: content outside a lang="vi" element is reported, inside it is not."""
    page = (
        '<html lang="en"><head><title>Tin tức</title></head><body>'
        '<p lang="vi">Giải quyết <b>khiếu nại</b></p><p>Home</p>'
        '<nav><a href="/c">Nông nghiệp</a><img alt="Cánh đồng" src="x.png"></nav></body></html>'
    )
    assert unmarked_vietnamese(page) == [
        "<a class=None> 'Nông nghiệp'",
        "<img alt='Cánh đồng'>",
    ]


@pytest.mark.parametrize("name", READER_PAGES)
def test_english_page_marks_every_vietnamese_text(main_pages, name):  # noqa: F811
    pages = {page.name: page for page in main_pages}
    page: Page = pages[f"{name}.en"]
    assert BeautifulSoup(page.html, "html5lib").html["lang"] == "en"
    assert unmarked_vietnamese(page.html) == [], page.path


SECTION_HEADINGS = {
    "complaints": "This site does not receive complaints or denunciations",
    "reception-schedule": "Upcoming sessions",
    "published-results": "Decisions and conclusions",
    "legal-documents": "Documents",
}


@pytest.mark.parametrize(("name", "heading"), SECTION_HEADINGS.items())
def test_complaints_section_interface_is_english(main_pages, name, heading):  # noqa: F811
    """The section's navigation and block headings are interface: translated, not marked."""
    page = {page.name: page for page in main_pages}[f"{name}.en"]
    soup = BeautifulSoup(page.html, "html5lib")
    nav = soup.select_one("nav.section-nav")
    assert nav is not None
    assert nav["aria-label"] == "In this section"
    links = nav.find_all("a")
    assert links
    assert [link.get_text() for link in links if language_of(link) != "vi"] == []
    interface = [h.get_text(" ", strip=True) for h in soup.find_all("h2") if language_of(h) == "en"]
    assert heading in interface, interface


def test_english_print_view_marks_the_article_and_the_site_name(
    client, make_article, make_category
):
    """The print view has no menu or skip link, so main_pages.py leaves it out: checked here."""
    article = make_article(category_id=make_category("Văn hóa – Xã hội"))
    response = client.get(f"/articles/{article.slug}/print?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert unmarked_vietnamese(html) == []
