"""Reads for the account pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..text import vi_sort_key


def staff() -> Sequence[User]:
    """Every account, active ones first, each group by name."""
    return db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()


def staff_by_name() -> list[User]:
    """Every account in Vietnamese alphabetical order, for choosing a moderator."""
    return sorted(db.session.scalars(select(User)), key=lambda user: vi_sort_key(user.name))
