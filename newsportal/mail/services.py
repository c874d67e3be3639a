"""What other features ask of mail: the notices their changes cause, a data subject's rows,
the sender and retention. The work is in notices.py (what is sent) and outbox.py (the table)."""

from __future__ import annotations

from ..models import OutboxMessage
from ..urls import public_host
from . import notices, outbox

# Notices: each says in notices.py whether it commits or adds to the caller's transaction.
password_reset = notices.password_reset
moderation_digest = notices.moderation_digest
digest_if_due = notices.digest_if_due
review_requested = notices.review_requested
review_sent_back = notices.sent_back
comment_approved = notices.comment_approved
comment_answered = notices.comment_answered
cancel_comment_notices = notices.cancel_comment_notices
unsubscribe = notices.unsubscribe
comment_for_token = notices.comment_for_token
count_since = outbox.count_since
address_hash = outbox.address_hash
Report = outbox.Report


def rows_for(email: str) -> list[OutboxMessage]:
    """Every email to this address in the outbox, sent or waiting (find, export)."""
    return outbox.rows_for(email)


def erase_for(email: str) -> int:
    """Delete them all, in the caller's transaction (erasure)."""
    return outbox.erase_for(email)


def purge(older_than_days: int, batch: int | None = None) -> int:
    """Retention: rows older than N days go, sent or not (commits)."""
    return outbox.purge(older_than_days, batch)


def send_due(batch: int, max_backoff_minutes: int) -> outbox.Report:
    """One sender run: the digest if one is due, then every due row (commits per row)."""
    notices.moderation_digest()
    return outbox.send_due(public_host(), batch, max_backoff_minutes)
