"""Reads every kind of content shares: its revisions, an editor's autosave."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Autosave, Content, Revision
from ..models.autosave import NEW_ITEM


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
