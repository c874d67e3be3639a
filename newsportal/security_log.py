"""The security event log: written by the services in the same transaction as the change.

`record()` adds the row to the session and never commits: the service that made the change
commits both, so a change and its event stand or fall together. What a row may hold: ids of
staff accounts, role names, rule kinds; never a password. A failed sign-in for an address that
is no account keeps only `unknown:` and 16 hex digits of an HMAC (the app's secret key) of what
was typed: repeated guesses at one name show as one tag, and the name cannot be read back from
the log or a CSV without the key. Rows older than SECURITY_EVENTS_KEEP_DAYS are deleted by
`flask comments purge`, the retention job.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import SecurityEvent, SecurityEventKind
from .spreadsheet import safe_cell
from .text import display_time, utcnow

CSV_COLUMNS = [
    "time_utc",
    "time_local",
    "event",
    "actor_id",
    "actor",
    "account_id",
    "account",
    "detail",
]
BOM = "\ufeff"  # Excel reads the Vietnamese names as UTF-8 only with it


def record(
    kind: SecurityEventKind,
    actor_id: int | None = None,
    account_id: int | None = None,
    detail: str = "",
) -> None:
    db.session.add(
        SecurityEvent(kind=kind, actor_id=actor_id, account_id=account_id, detail=detail[:200])
    )


def unknown_account_tag(typed: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"sign-in:{typed}".encode(), hashlib.sha256).hexdigest()
    return f"unknown:{digest[:16]}"


def _newest_first() -> Select[tuple[SecurityEvent]]:
    return (
        select(SecurityEvent)
        .options(joinedload(SecurityEvent.actor), joinedload(SecurityEvent.account))
        .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
    )


def events(page: int, per_page: int) -> Pagination:
    return db.paginate(_newest_first(), page=page, per_page=per_page, max_per_page=per_page)


def export_csv() -> str:
    """The whole log, newest first: staff names and ids, never their emails."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        chunk = events(page, 500)
        for row in chunk.items:
            cells = (
                row.created_at.isoformat(),
                display_time(row.created_at),
                row.kind,
                row.actor_id or "",
                row.actor.name if row.actor else "",
                row.account_id or "",
                row.account.name if row.account else "",
                row.detail,
            )
            writer.writerow([safe_cell(cell) for cell in cells])
        if not chunk.has_next:
            return out.getvalue()
        page += 1


def purge(older_than_days: int, batch: int | None = None) -> int:
    """Delete events older than N days (the retention job; at most `batch` of the oldest when
    given), in one transaction."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    due = select(SecurityEvent.id).where(SecurityEvent.created_at < cutoff)
    if batch is not None:
        due = due.order_by(SecurityEvent.id).limit(batch)
    result = db.session.execute(
        delete(SecurityEvent)
        .where(SecurityEvent.id.in_(due.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
