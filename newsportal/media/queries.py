"""Reads for the picture desk."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..extensions import db
from ..models import Image


def latest(limit: int = 24) -> Sequence[Image]:
    """The pictures uploaded last, newest first."""
    return db.session.scalars(select(Image).order_by(Image.id.desc()).limit(limit)).all()
