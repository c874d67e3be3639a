"""Autosaves: what an editor was typing, kept server-side while they type, offered back when the
form opens again (after a closed tab, a crash or a session that expired). One row per user and
item, overwritten; never a revision, never the item itself, so no cached page changes."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Autosave
from ..models.autosave import NEW_ITEM
from ..text import utcnow


def _row(user_id: int, kind: str, content_id: int) -> Autosave | None:
    return db.session.scalar(
        select(Autosave).where(
            Autosave.user_id == user_id,
            Autosave.kind == kind,
            Autosave.content_id == content_id,
        )
    )


def store(user_id: int, kind: str, content_id: int | None, fields: Mapping[str, str]) -> Autosave:
    """Overwrite the user's autosave of the item (None: the new-item form) with `fields`; the
    caller has bounded them (content.forms.autosave_fields)."""
    key = (user_id, kind, NEW_ITEM if content_id is None else content_id)
    for _attempt in range(2):  # two tabs saving the first row at once: the loser updates it
        row = _row(*key) or Autosave(user_id=key[0], kind=key[1], content_id=key[2])
        row.fields = dict(fields)
        row.saved_at = utcnow()
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return row
    raise RuntimeError("autosave row kept changing")  # pragma: no cover


def forget(user_id: int | None, kind: str, content_id: int) -> None:
    """Stage dropping the user's autosaves of an item just saved (and of the new-item form it
    came from); the caller commits with the save."""
    if user_id is None:
        return
    db.session.execute(
        delete(Autosave).where(
            Autosave.user_id == user_id,
            Autosave.kind == kind,
            Autosave.content_id.in_((content_id, NEW_ITEM)),
        )
    )


def discard(user_id: int, kind: str, content_id: int | None) -> None:
    """The editor chose not to restore it."""
    db.session.execute(
        delete(Autosave).where(
            Autosave.user_id == user_id,
            Autosave.kind == kind,
            Autosave.content_id == (NEW_ITEM if content_id is None else content_id),
        )
    )
    db.session.commit()
