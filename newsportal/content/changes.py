"""What a writer changed since the item was last published, as the review page shows it: the
same word-level diff of the rendered text as the history (newsportal/revisions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ..revisions import Changes, Revisable, changes


@dataclass
class _Nothing:  # not frozen: Revisable's attributes are plain ones
    title: str = ""
    lead: str = ""
    body_md: str = ""


def since_published(published: Revisable | None, pending: Revisable) -> Changes:
    """Title, lead and body as (op, text) segments; with nothing published yet, all of it is
    added."""
    return changes(published if published is not None else _Nothing(), pending)
