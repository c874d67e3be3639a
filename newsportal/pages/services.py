"""Write side of information pages: what is their own (place in the tree, list block, review
date, deleting a draft) on the content core's save, publish, unpublish and restore.

Each function is one transaction. A page has no publication time: it is public once published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..content import services as content
from ..errors import FieldError
from ..extensions import db
from ..models import Page, PageBlock, PageStatus
from ..search import services as search


@dataclass(frozen=True, kw_only=True)
class PageData(content.ContentData):
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
    if data.block not in {b.value for b in PageBlock}:
        raise FieldError("block", "unknown")
    _check_parent(page, data.parent_id)
    page.parent_id = data.parent_id
    page.position = data.position
    page.block = data.block
    page.sample_notice = data.sample_notice
    page.reviewed_on = data.reviewed_on


def reindex_pages() -> int:
    return content.reindex(Page)


def save_page(page: Page | None, data: PageData, user_id: int | None, action: str = "save") -> Page:
    """Create or update a page and write a revision (content.save: the actions).

    save: whether it is public does not change. publish: readers see it from now on.
    """
    if page is None:
        page = Page(status=PageStatus.DRAFT)
    return content.save(page, data, action, user_id, lambda item: _apply(item, data))


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
