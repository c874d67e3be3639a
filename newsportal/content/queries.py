"""Reads every kind of content shares: its revisions and its review."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Content, Review, ReviewState, Revision

# Revision notes of a save that made the text public.
PUBLISHING_NOTES = ("publish", "approve", "import")


def revisions(item: Content) -> list[Revision]:
    """Newest first, with who wrote each."""
    model = Revision.of_kind(item.kind)
    return list(
        db.session.scalars(
            select(model)
            .options(db.joinedload(model.user))
            .where(model.content_id == item.id)
            .order_by(model.id.desc())
        )
    )


def revision_of(item: Content, revision_id: int) -> Revision | None:
    model = Revision.of_kind(item.kind)
    return db.session.scalar(
        select(model)
        .options(db.joinedload(model.user))
        .where(model.id == revision_id, model.content_id == item.id)
    )


def review_of(item: Content) -> Review | None:
    """The item's review while it is waiting or sent back; None once published (or never sent)."""
    if item.id is None:
        return None
    return db.session.scalar(
        select(Review)
        .options(db.joinedload(Review.writer))
        .where(Review.kind == item.kind, Review.content_id == item.id)
    )


def pending_revision(review: Review | None) -> Revision | None:
    """The edit a writer made to a published item, waiting for review."""
    if review is None or review.pending_revision_id is None:
        return None
    return db.session.get(Revision, review.pending_revision_id)


def last_published_revision(item: Content) -> Revision | None:
    """The text as it was when it was last made public (by the desk, an approval or an import)."""
    model = Revision.of_kind(item.kind)
    return db.session.scalar(
        select(model)
        .where(model.content_id == item.id, model.note.in_(PUBLISHING_NOTES))
        .order_by(model.id.desc())
        .limit(1)
    )


def waiting_count(kind: str) -> int:
    """How many items of `kind` wait for an editor ("Chờ duyệt")."""
    query = select(func.count(Review.id)).where(
        Review.kind == kind, Review.state == ReviewState.PENDING
    )
    return int(db.session.scalar(query) or 0)
