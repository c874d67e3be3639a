"""Read side of information pages and the section's lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, select

from ..extensions import db
from ..models import (
    DocumentKind,
    LegalDocument,
    Page,
    PageBlock,
    PageStatus,
    PublishedResult,
    ReceptionSession,
)
from ..text import VN_TZ, to_local, vi_sort_key

SECTION_ROOT = "khieu-nai-to-cao"
MAX_DEPTH = 10  # a guard against a loop that the services do not allow anyway


def public_page(slug: str) -> Page | None:
    return db.session.scalar(
        select(Page).where(Page.slug == slug, Page.status == PageStatus.PUBLISHED)
    )


def _in_order(pages: Iterable[Page]) -> list[Page]:
    """By position, then title in Vietnamese dictionary order (the same on every database)."""
    return sorted(pages, key=lambda p: (p.position, vi_sort_key(p.title)))


def public_children(page_id: int) -> list[Page]:
    return _in_order(
        db.session.scalars(
            select(Page).where(Page.parent_id == page_id, Page.status == PageStatus.PUBLISHED)
        )
    )


def ancestors(page: Page) -> list[Page]:
    """The page's published ancestors, from the top down to its parent (identity map: usually no
    query). An unpublished level is skipped, not shown: a draft's title is not public, so the
    breadcrumb and the section menu are built from the published pages around it only."""
    chain: list[Page] = []
    current = page.parent_id
    for _level in range(MAX_DEPTH):
        parent = db.session.get(Page, current) if current is not None else None
        if parent is None:
            break
        if parent.is_public:
            chain.insert(0, parent)
        current = parent.parent_id
    return chain


def page_with_block(block: PageBlock) -> Page | None:
    return db.session.scalar(
        select(Page)
        .where(Page.block == block, Page.status == PageStatus.PUBLISHED)
        .order_by(Page.id)
        .limit(1)
    )


def public_page_dates() -> list[tuple[str, datetime]]:
    """Every published page's slug and last change (the sitemap), in the section's order."""
    rows = db.session.execute(
        select(Page.slug, Page.updated_at, Page.position, Page.title).where(
            Page.status == PageStatus.PUBLISHED
        )
    )
    ordered = sorted(rows, key=lambda r: (r.position, vi_sort_key(r.title)))
    return [(r.slug, r.updated_at) for r in ordered]


def all_pages() -> list[Page]:
    """For the desk: every page, parents resolved from the same list."""
    return _in_order(db.session.scalars(select(Page)))


def start_of_today(now: datetime) -> datetime:
    """Midnight in Vietnam: a session held today stays on the upcoming list all day."""
    return datetime.combine(to_local(now).date(), time(), tzinfo=VN_TZ)


def upcoming_sessions(now: datetime, limit: int | None = None) -> list[ReceptionSession]:
    query = (
        select(ReceptionSession)
        .where(ReceptionSession.starts_at >= start_of_today(now))
        .order_by(ReceptionSession.starts_at, ReceptionSession.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past_sessions(now: datetime, page: int, per_page: int) -> Pagination:
    query = (
        select(ReceptionSession)
        .where(ReceptionSession.starts_at < start_of_today(now))
        .order_by(ReceptionSession.starts_at.desc(), ReceptionSession.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def sessions_for_feed(since: datetime) -> list[ReceptionSession]:
    return list(
        db.session.scalars(
            select(ReceptionSession)
            .where(ReceptionSession.starts_at >= since)
            .order_by(ReceptionSession.starts_at)
        )
    )


def all_sessions(page: int, per_page: int) -> Pagination:
    query = select(ReceptionSession).order_by(
        ReceptionSession.starts_at.desc(), ReceptionSession.id.desc()
    )
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def results(page: int, per_page: int, kind: str | None = None) -> Pagination:
    query = select(PublishedResult).order_by(
        PublishedResult.issued_on.desc(), PublishedResult.id.desc()
    )
    if kind:
        query = query.where(PublishedResult.kind == kind)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def result_with_file(sha: str) -> PublishedResult | None:
    return db.session.scalar(
        select(PublishedResult).where(PublishedResult.file_sha256 == sha).limit(1)
    )


_KIND_ORDER = case(
    {kind.value: rank for rank, kind in enumerate(DocumentKind)}, value=LegalDocument.kind
)


def documents() -> list[LegalDocument]:
    """The constitution first, then laws, decrees, circulars, decisions; newest first in each."""
    return list(
        db.session.scalars(
            select(LegalDocument).order_by(
                _KIND_ORDER, LegalDocument.issued_on.desc(), LegalDocument.id
            )
        )
    )


def pages_with_blocks(blocks: Iterable[PageBlock]) -> dict[str, Page]:
    """The first published page showing each block, in one query (the sidebar's "more" links)."""
    query = (
        select(Page)
        .where(Page.block.in_(list(blocks)), Page.status == PageStatus.PUBLISHED)
        .order_by(Page.id.desc())
    )
    return {page.block: page for page in db.session.scalars(query)}  # the lowest id wins


def newest_results(limit: int) -> list[PublishedResult]:
    query = select(PublishedResult).order_by(
        PublishedResult.issued_on.desc(), PublishedResult.id.desc()
    )
    return list(db.session.scalars(query.limit(limit)))


def newest_documents(limit: int) -> list[LegalDocument]:
    query = select(LegalDocument).order_by(LegalDocument.issued_on.desc(), LegalDocument.id.desc())
    return list(db.session.scalars(query.limit(limit)))
