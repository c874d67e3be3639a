"""Write side of information pages: save, publish, unpublish, restore, delete a draft.

Each function is one transaction. The body is rendered by markup.render_article() once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import markup
from ..content import services as content
from ..errors import FieldError
from ..extensions import db
from ..models import Page, PageBlock, PageStatus
from ..search import services as search
from ..text import clean_line, nfc, utcnow

ACTIONS = ("save", "publish")


@dataclass(frozen=True)
class PageData:
    title: str
    lead: str
    body_md: str
    slug: str = ""
    parent_id: int | None = None
    position: int = 0
    block: str = ""
    sample_notice: bool = False
    reviewed_on: date | None = None


def _check_parent(page: Page, parent_id: int | None) -> None:
    """The parent must exist and must not be the page itself or one of its sub-pages."""
    seen: set[int] = set()
    current = parent_id
    while current is not None and current not in seen:
        if page.id is not None and current == page.id:
            raise FieldError("parent_id", "cycle")
        seen.add(current)
        parent = db.session.get(Page, current)
        if parent is None:
            raise FieldError("parent_id", "unknown")
        current = parent.parent_id


def _apply(page: Page, data: PageData) -> None:
    title = clean_line(data.title)
    if not title:
        raise FieldError("title", "required")
    if data.block not in {b.value for b in PageBlock}:
        raise FieldError("block", "unknown")
    _check_parent(page, data.parent_id)
    page.slug = content.choose_slug(page, data.slug, title)
    page.title = title
    page.lead = nfc(data.lead).strip()
    page.body_md = nfc(data.body_md).strip()
    page.body_html = markup.render_article(page.body_md)
    page.parent_id = data.parent_id
    page.position = data.position
    page.block = data.block
    page.sample_notice = data.sample_notice
    page.reviewed_on = data.reviewed_on


def reindex_pages() -> int:
    return content.reindex(Page)


def save_page(page: Page | None, data: PageData, user_id: int | None, action: str = "save") -> Page:
    """Create or update a page and write a revision.

    save: whether it is public does not change. publish: readers see it from now on.
    """
    if action not in ACTIONS:
        raise FieldError("action", "invalid")
    if page is None:
        page = Page(status=PageStatus.DRAFT)
    with content.one_write():
        with db.session.no_autoflush:  # the checks above must not flush a half-filled row
            _apply(page, data)
        if action == "publish":
            page.status = PageStatus.PUBLISHED
        if page.status == PageStatus.PUBLISHED and page.first_published_at is None:
            page.first_published_at = utcnow()
        content.keep(page, user_id, action if action == "publish" else "save")
    return page


unpublish_page = content.unpublish  # off the public site at once, kept as a draft
restore_revision = content.restore


def delete_draft(page: Page) -> None:
    """Only a page readers never saw, with no sub-pages, can be deleted; others are unpublished."""
    if page.first_published_at is not None:
        raise FieldError("page", "was_public")
    if db.session.scalar(select(Page.id).where(Page.parent_id == page.id).limit(1)) is not None:
        raise FieldError("page", "has_children")
    search.remove_document("page", page.id)
    content.forget_revisions(page)
    db.session.delete(page)
    db.session.commit()
