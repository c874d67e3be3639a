"""Reads every kind of content shares: its revisions."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Content, Revision


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


def previous_revision(item: Content, revision: Revision) -> Revision | None:
    """The revision saved just before `revision`, to show what `revision` changed."""
    model = Revision.of_kind(item.kind)
    return db.session.scalar(
        select(model)
        .where(model.content_id == item.id, model.id < revision.id)
        .order_by(model.id.desc())
        .limit(1)
    )
