"""Reads for the picture desk."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..extensions import db
from ..models import Image


def latest(limit: int = 24) -> Sequence[Image]:
    """The pictures uploaded last, newest first."""
    return db.session.scalars(select(Image).order_by(Image.id.desc()).limit(limit)).all()


def image(image_id: int | None) -> Image | None:
    return None if image_id is None else db.session.get(Image, image_id)


def library(page: int, per_page: int) -> Sequence[Image]:
    """One page of every picture, newest first, for the editor's picture picker; one more than
    `per_page` when there is a next page."""
    query = select(Image).order_by(Image.id.desc()).offset((page - 1) * per_page)
    return db.session.scalars(query.limit(per_page + 1)).all()
