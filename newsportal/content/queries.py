"""Reads every kind of content shares: its revisions, its review, an editor's autosave."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Autosave, Content, Review, ReviewState, Revision
from ..models.autosave import NEW_ITEM

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


def autosave_to_offer(user_id: int, item: Content | None, kind: str) -> Autosave | None:
    """The user's autosave of the item (None: the new-item form) when it is newer than the
    item's last save: what the edit form offers to restore."""
    content_id = NEW_ITEM if item is None else item.id
    row = db.session.scalar(
        select(Autosave).where(
            Autosave.user_id == user_id, Autosave.kind == kind, Autosave.content_id == content_id
        )
    )
    if row is None or (item is not None and row.saved_at <= item.updated_at):
        return None
    return row


def previous_revision(item: Content, revision: Revision) -> Revision | None:
    """The revision saved just before `revision`, to show what `revision` changed."""
    model = Revision.of_kind(item.kind)
    return db.session.scalar(
        select(model)
        .where(model.content_id == item.id, model.id < revision.id)
        .order_by(model.id.desc())
        .limit(1)
    )
