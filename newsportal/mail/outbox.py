"""The outbox table's one write path, and the sender that empties it.

Rows are added inside the transaction of the change that causes them (never committed here),
so an email exists exactly when its change does, and a request never waits for a mail server.
`send_due()` (`flask mail send`) sends the rows whose `send_after` has come. Two senders may run
at once: each row is claimed with a conditional UPDATE (it matches only while the row is unsent
and nobody's lease is running), so one sender alone talks to the server about it. A failed row
keeps its place, counts the attempt, records the error and waits 1, 2, 4 ... minutes (up to
MAIL_RETRY_MAX_MINUTES) before the next try; a server that cannot be reached ends the run, so a
stopped server costs one timeout per run, not one per row. A sender that dies mid-send leaves a
lease that runs out: the row is tried again (at least once, never lost).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from flask_mailman import EmailMessage
from sqlalchemy import ColumnElement, delete, func, or_, select, update

from ..extensions import db, mail
from ..models import OutboxMessage
from ..text import utcnow

LEASE = timedelta(minutes=5)  # far longer than MAIL_TIMEOUT: a live sender never loses its row
# The server refused this message (a recipient, the sender, the data): the next row may pass.
ROW_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def address_hash(email: str, secret: str) -> str:
    """A keyed hash of the address (IP_HASH_KEY): counted for the caps without the address."""
    value = email.strip().lower()
    return hmac.new(secret.encode(), f"mail:{value}".encode(), hashlib.sha256).hexdigest()


def enqueue(
    recipient: str,
    subject: str,
    body: str,
    kind: str,
    secret: str,
    ref: str = "",
    send_after: datetime | None = None,
    unsubscribe_url: str = "",
) -> OutboxMessage:
    """Add one email to the caller's transaction (the caller commits)."""
    now = utcnow()
    row = OutboxMessage(
        recipient=recipient.strip().lower(),
        recipient_hash=address_hash(recipient, secret),
        subject=" ".join(subject.split())[:200],  # one header line
        body=body,
        kind=kind,
        ref=ref,
        unsubscribe_url=unsubscribe_url,
        created_at=now,
        send_after=send_after or now,
    )
    db.session.add(row)
    return row


def count_since(recipient_hash: str, kinds: Iterable[str], since: datetime) -> int:
    """Emails of these kinds for this address written since `since`, sent or not."""
    return int(
        db.session.scalar(
            select(func.count()).where(
                OutboxMessage.recipient_hash == recipient_hash,
                OutboxMessage.kind.in_(list(kinds)),
                OutboxMessage.created_at >= since,
            )
        )
        or 0
    )


def exists(kind: str, ref: str) -> bool:
    found = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.kind == kind, OutboxMessage.ref == ref)
    )
    return found is not None


def cancel(kinds: Iterable[str], refs: Iterable[str] = (), recipient: str = "") -> int:
    """Delete unsent rows of these kinds, about `refs` or to `recipient` (caller commits)."""
    rule: list[ColumnElement[bool]] = [
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.kind.in_(list(kinds)),
    ]
    refs = list(refs)
    if refs:
        rule.append(OutboxMessage.ref.in_(refs))
    if recipient:
        rule.append(OutboxMessage.recipient == recipient.strip().lower())
    if not refs and not recipient:
        return 0
    result = db.session.execute(
        delete(OutboxMessage).where(*rule).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def rows_for(email: str) -> list[OutboxMessage]:
    """Every row addressed to `email` (a data subject's request)."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == email.strip().lower())
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def erase_for(email: str) -> int:
    """Delete every row addressed to `email`, sent or not (caller commits)."""
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.recipient == email.strip().lower())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge(older_than_days: int, batch: int | None = None) -> int:
    """Delete rows written more than N days ago, sent or not (retention): what the server has
    not taken in that long (a link long expired, a digest long read) is not worth sending."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    due = select(OutboxMessage.id).where(OutboxMessage.created_at < cutoff)
    if batch is not None:
        due = due.order_by(OutboxMessage.id).limit(batch)
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    unreachable: bool = False  # the run stopped: the server could not be reached


def _claim(row_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def backoff(attempts: int, max_minutes: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), max_minutes))


def _finish(row_id: int, **values: Any) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _message(row: OutboxMessage, connection: Any, domain: str) -> EmailMessage:
    headers = {"Message-ID": make_msgid(domain=domain), "Auto-Submitted": "auto-generated"}
    if row.unsubscribe_url:  # RFC 8058: a mail client's one-click button POSTs to it
        headers["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(
        row.subject, row.body, to=[row.recipient], headers=headers, connection=connection
    )


def due_ids(now: datetime, batch: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.send_after <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.send_after, OutboxMessage.id)
            .limit(batch)
        )
    )


def send_due(domain: str, batch: int = 100, max_backoff_minutes: int = 360) -> Report:
    """Send what is due, oldest first, over one connection. `domain`: the Message-ID's."""
    report = Report()
    connection = mail.get_connection()
    try:
        for row_id in due_ids(utcnow(), batch):
            now = utcnow()
            if not _claim(row_id, now):
                continue  # another sender has it
            row = db.session.get(OutboxMessage, row_id, populate_existing=True)
            if row is None:  # cancelled between the two statements
                continue
            try:
                _message(row, connection, domain).send()
            except ROW_ERRORS as error:
                _failed(row, now, error, max_backoff_minutes)
                report.failed += 1
            except (OSError, smtplib.SMTPException) as error:
                _failed(row, now, error, max_backoff_minutes)
                report.failed += 1
                report.unreachable = True
                break
            else:
                _finish(row_id, sent_at=utcnow(), last_error="")
                report.sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()  # a server that went away has nothing more to hear
    return report


def _failed(row: OutboxMessage, now: datetime, error: Exception, max_minutes: int) -> None:
    message = f"{type(error).__name__}: {error}"[:500]
    retry = now + backoff(row.attempts, max_minutes)
    _finish(row.id, last_error=message, send_after=retry)
