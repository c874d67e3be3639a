"""Retention: what is deleted or cleared after how long, run by the site itself.

`run()` is the whole job (`flask comments purge` calls it too): spam and rejected comments older
than COMMENT_PURGE_DAYS are deleted, the browser's User-Agent is cleared from comments older than
USER_AGENT_KEEP_DAYS (moderators read it while judging a fresh comment, nobody needs it later),
security events older than SECURITY_EVENTS_KEEP_DAYS go, and so do outbox emails written more than
MAIL_KEEP_DAYS ago. `maybe_run()` is called after a
comment is written (through `run_if_due()`, once the comment service has read the last run's time
with the digest's): one UPDATE on the content_state row claims the run when the last one is
more than an hour old, so of all app servers exactly one runs it per hour, and a page view never
pays. Each automatic run does at most RETENTION_BATCH rows per kind; the deploy/ timer runs the
unbounded `flask comments purge` nightly as the backstop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from .. import security_log
from ..extensions import db
from ..mail import services as mail
from ..models import Comment, CommentStatus, ContentState
from ..text import utcnow

EVERY = timedelta(hours=1)
STATE_ROW = 1  # content_version.ROW: the one site row


@dataclass(frozen=True)
class Periods:
    """Settings as plain values: days each kind of data is kept, rows per automatic run."""

    comment_days: int = 30
    user_agent_days: int = 30
    security_days: int = 365
    mail_days: int = 30
    batch: int | None = None  # None: everything due (the command line)


@dataclass(frozen=True)
class Report:
    comments: int
    user_agents: int
    security_events: int
    mails: int = 0


def periods_from(config: Mapping[str, Any], batch: bool = True) -> Periods:
    """The configured periods; `batch=False` for the command line, which does all that is due."""
    return Periods(
        comment_days=int(config["COMMENT_PURGE_DAYS"]),
        user_agent_days=int(config["USER_AGENT_KEEP_DAYS"]),
        security_days=int(config["SECURITY_EVENTS_KEEP_DAYS"]),
        mail_days=int(config["MAIL_KEEP_DAYS"]),
        batch=int(config["RETENTION_BATCH"]) if batch else None,
    )


def purge_comments(older_than_days: int, batch: int | None = None) -> int:
    """Delete spam and rejected comments older than N days; approved and pending stay."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    due = select(Comment.id).where(
        Comment.status.in_([CommentStatus.SPAM, CommentStatus.REJECTED]),
        Comment.created_at < cutoff,
    )
    if batch is not None:
        due = due.order_by(Comment.id).limit(batch)
    result = db.session.execute(
        delete(Comment)
        .where(Comment.id.in_(due.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def clear_user_agents(older_than_days: int, batch: int | None = None) -> int:
    cutoff = utcnow() - timedelta(days=older_than_days)
    due = select(Comment.id).where(Comment.user_agent != "", Comment.created_at < cutoff)
    if batch is not None:
        due = due.order_by(Comment.id).limit(batch)
    result = db.session.execute(
        update(Comment)
        .where(Comment.id.in_(due.scalar_subquery()))
        .values(user_agent="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def run(periods: Periods) -> Report:
    comments = purge_comments(periods.comment_days, periods.batch)
    agents = clear_user_agents(periods.user_agent_days, periods.batch)
    events = security_log.purge(periods.security_days, periods.batch)
    mails = mail.purge(periods.mail_days, periods.batch)
    return Report(comments, agents, events, mails)


def _claim(now: datetime) -> bool:
    """Take this hour's run, atomically: only one writer's UPDATE matches the old timestamp."""
    claimed = db.session.execute(
        update(ContentState)
        .where(
            ContentState.id == STATE_ROW,
            or_(
                ContentState.retention_run_at.is_(None),
                ContentState.retention_run_at <= now - EVERY,
            ),
        )
        .values(retention_run_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(claimed, "rowcount", 0))


def maybe_run(periods: Periods, now: datetime | None = None) -> Report | None:
    """The job when its hour has come (None otherwise): after a write, never on a page view."""
    if not _claim(now or utcnow()):
        return None
    return run(periods)


def run_if_due(periods: Periods, last_run: datetime | None, now: datetime) -> Report | None:
    """`maybe_run` for a caller that has just read `last_run` (retention_run_at) itself: within
    the hour it writes nothing. A stale `last_run` changes nothing either way: the claim's
    UPDATE decides again on the row as it is."""
    if last_run is not None and last_run > now - EVERY:
        return None
    return maybe_run(periods, now)
