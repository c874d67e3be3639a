"""Site-wide state shared by every app server through the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime


class ContentState(PrivateContent, db.Model):  # type: ignore[name-defined]
    """One row: the version of everything readers can see.

    Any change to public content raises `version` in the same transaction, so page caches keyed
    by it never serve a page older than the data, on any server. `next_due_at` is when the next
    scheduled article goes public: reaching it counts as a change too, with no job to run.
    `retention_run_at` is when the retention job last ran on its own (comments/retention.py),
    `digest_at` when moderators were last sent the waiting-comments digest (mail/notices.py).
    """

    __tablename__ = "content_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retention_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PageScope(PrivateContent, db.Model):  # type: ignore[name-defined]
    """The version of a few public pages, for a change that shows on those pages only.

    A comment approved, hidden, erased or answered changes its article's page (`article:<slug>`)
    and the lists that count comments (`lists`), nothing else: it raises those two rows in its
    transaction instead of `ContentState.version`, so every other cached page stays. A page
    declaring a scope is cached under both versions (pagecache.py). One row per article whose
    comments ever changed, and one for the lists.
    """

    __tablename__ = "page_scopes"

    name: Mapped[str] = mapped_column(String(160), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
