"""Write side of information pages: save, publish, unpublish, restore, delete a draft.

Each function is one transaction. The body is rendered by markup.render_article() once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import markup
from ..extensions import db
from ..models import Page, PageBlock, PageRevision, PageStatus
from ..revisions import FieldError
from ..search import services as search
from ..text import clean_line, nfc, slugify, utcnow

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


def _slug_taken(slug: str, page_id: int | None) -> bool:
    query = select(Page.id).where(Page.slug == slug)
    if page_id is not None:
        query = query.where(Page.id != page_id)
    return db.session.scalar(query) is not None


def _choose_slug(page: Page, typed: str, title: str) -> str:
    typed = typed.strip()
    if page.first_published_at is not None:
        if typed and typed != page.slug:
            raise FieldError("slug", "published")
        return page.slug
    slug = slugify(typed or (page.slug if page.id is not None else "") or title)
    if not slug:
        raise FieldError("slug" if typed else "title", "invalid" if typed else "no_slug")
    if _slug_taken(slug, page.id):
        raise FieldError("slug", "taken")
    return slug


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
    page.slug = _choose_slug(page, data.slug, title)
    page.title = title
    page.lead = nfc(data.lead).strip()
    page.body_md = nfc(data.body_md).strip()
    page.body_html = markup.render_article(page.body_md)
    page.parent_id = data.parent_id
    page.position = data.position
    page.block = data.block
    page.sample_notice = data.sample_notice
    page.reviewed_on = data.reviewed_on


def _revise(page: Page, user_id: int | None, note: str) -> None:
    page.updated_at = utcnow()
    page.updated_by_id = user_id
    db.session.add(
        PageRevision(
            page_id=page.id,
            user_id=user_id,
            title=page.title,
            lead=page.lead,
            body_md=page.body_md,
            note=note,
        )
    )


def index_page(page: Page) -> None:
    """Stage the page's search document: findable while it is public, from when it first was."""
    if not page.is_public or page.first_published_at is None:
        search.remove_document("page", page.id)
        return
    search.index_document(
        "page",
        page.id,
        url=search.path_for("pages.page", slug=page.slug),
        title=page.title,
        text=f"{page.lead}\n{markup.plain_text(page.body_html)}",
        visible_from=page.first_published_at,
    )


def reindex_pages() -> int:
    pages = list(db.session.scalars(select(Page)))
    for page in pages:
        index_page(page)
    db.session.commit()
    return len(pages)


def save_page(page: Page | None, data: PageData, user_id: int | None, action: str = "save") -> Page:
    """Create or update a page and write a revision.

    save: whether it is public does not change. publish: readers see it from now on.
    """
    if action not in ACTIONS:
        raise FieldError("action", "invalid")
    if page is None:
        page = Page(status=PageStatus.DRAFT)
    try:
        with db.session.no_autoflush:  # the checks above must not flush a half-filled row
            _apply(page, data)
        if action == "publish":
            page.status = PageStatus.PUBLISHED
        if page.status == PageStatus.PUBLISHED and page.first_published_at is None:
            page.first_published_at = utcnow()
        db.session.add(page)
        db.session.flush()  # the revision needs the page's id
        _revise(page, user_id, action if action == "publish" else "save")
        index_page(page)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return page


def unpublish_page(page: Page, user_id: int | None) -> Page:
    """Off the public site at once; kept as a draft with its address."""
    page.status = PageStatus.DRAFT
    page.updated_at = utcnow()
    page.updated_by_id = user_id
    index_page(page)
    db.session.commit()
    return page


def restore_revision(page: Page, revision: PageRevision, user_id: int | None) -> Page:
    """Bring back an earlier title, lead and body; the restore is itself a new revision."""
    page.title = revision.title
    page.lead = revision.lead
    page.body_md = revision.body_md
    page.body_html = markup.render_article(revision.body_md)
    _revise(page, user_id, f"restore:{revision.id}")
    index_page(page)
    db.session.commit()
    return page


def delete_draft(page: Page) -> None:
    """Only a page readers never saw, with no sub-pages, can be deleted; others are unpublished."""
    if page.first_published_at is not None:
        raise FieldError("page", "was_public")
    if db.session.scalar(select(Page.id).where(Page.parent_id == page.id).limit(1)) is not None:
        raise FieldError("page", "has_children")
    search.remove_document("page", page.id)
    db.session.delete(page)
    db.session.commit()
