"""The comment pipeline: one ordered function, the most restrictive outcome wins.

closed -> normalise + validate -> rate limit -> honeypot / too fast -> duplicate -> blocked
-> banned terms -> suspect terms or links -> pending.

Nothing is written before the rate limit: a bot's submission counts towards it like anyone's,
is then counted per day and dropped, so a flood cannot fill the disk. A duplicate is one of this
reader's own comments (their session), never matched by email, so re-sending another person's
text with a guessed address answers exactly as a new comment does.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from limits import parse
from limits.strategies import RateLimiter
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from .. import markup, metrics
from ..errors import FieldError
from ..extensions import db
from ..mail import services as mail
from ..models import (
    Article,
    BotSubmissionCount,
    Comment,
    CommentAudit,
    CommentStatus,
    ContentState,
    ModerationRule,
    RuleKind,
)
from ..text import clean_line, matching_terms, nfc, utcnow
from . import retention

_BLANK_RUNS = re.compile(r"\n[ \t]*(\n[ \t]*){2,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


@dataclass(frozen=True)
class CommentInput:
    name: str
    email: str
    body: str
    ip: str
    user_agent: str = ""
    honeypot: str = ""
    form_age: timedelta | None = None  # None: the signed timestamp was missing or expired
    own_ids: tuple[int, ...] = ()  # comments this reader's session sent: the only duplicates
    notify: bool = False  # the reader asked for an email when it is approved or answered


@dataclass(frozen=True)
class Policy:
    """Settings from config, passed in as plain values."""

    secret: str  # IP_HASH_KEY: hashes the address
    min_seconds: float = 3
    rate_limit: str | None = "5 per 10 minutes"
    limiter: RateLimiter | None = None
    close_after_days: int = 0
    retention: retention.Periods | None = None  # None: the job never runs after a write
    digest: bool = False  # after a pending comment, moderators' digest if one is due


def policy_from(config: Mapping[str, Any], limiter: RateLimiter | None) -> Policy:
    """The policy the settings describe; the rate limit is off where rate limiting is."""
    enabled = config.get("RATELIMIT_ENABLED", True)
    return Policy(
        secret=config["IP_HASH_KEY"],
        min_seconds=float(config["COMMENT_MIN_SECONDS"]),
        rate_limit=config["COMMENT_RATE_LIMIT"] if enabled else None,
        limiter=limiter,
        close_after_days=int(config["COMMENTS_CLOSE_AFTER_DAYS"] or 0),
        retention=retention.periods_from(config),
        digest=True,
    )


@dataclass
class Outcome:
    comment: Comment | None  # None: a bot's submission, counted and dropped
    duplicate: bool = False
    flags: list[str] = field(default_factory=list)
    bot: str = ""  # why a bot's submission was dropped (honeypot, too-fast)
    # Read before the commit expired `comment`: using them costs no reload of the row.
    comment_id: int | None = None
    status: str = ""


def ip_hash(ip: str, secret: str) -> str:
    """An HMAC of the address: lets us block and rate-limit without keeping the raw IP."""
    return hmac.new(secret.encode(), ip.encode(), hashlib.sha256).hexdigest()


def email_hash(email: str, secret: str) -> str:
    """An HMAC of the (lower-cased) email, for keys kept outside the database (rate limits) and
    for audit rows that must say whose data it was without saying the address."""
    return hmac.new(secret.encode(), f"email:{email}".encode(), hashlib.sha256).hexdigest()


def comments_open(article: Article, close_after_days: int, now: datetime | None = None) -> bool:
    if not article.comments_enabled:
        return False
    if close_after_days and article.published_at is not None:
        return (now or utcnow()) < article.published_at + timedelta(days=close_after_days)
    return True


def normalise_body(text: str) -> str:
    """NFC, no control characters, no runs of blank lines, no trailing spaces."""
    text = _TRAILING_SPACE.sub("\n", nfc(text))
    return _BLANK_RUNS.sub("\n\n", text).strip()


# Built once: a comment POST only binds the sender's email and address hash.
_RULES_FOR_SENDER = select(ModerationRule.kind, ModerationRule.value).where(
    or_(
        ModerationRule.kind.in_([RuleKind.BANNED, RuleKind.SUSPECT]),
        and_(
            ModerationRule.kind == RuleKind.BLOCKED_EMAIL,
            ModerationRule.value == bindparam("email"),
        ),
        and_(ModerationRule.kind == RuleKind.BLOCKED_IP, ModerationRule.value == bindparam("ip")),
    )
)


def _rules(email: str, hashed_ip: str) -> dict[str, list[str]]:
    """The rules that concern this comment, by kind, in one query: every banned and suspect
    term, and a blocked-email or blocked-IP rule only if it names this sender (those lists
    can be long, and only one value of each could ever match)."""
    rows = db.session.execute(_RULES_FOR_SENDER, {"email": email, "ip": hashed_ip})
    found: dict[str, list[str]] = {kind.value: [] for kind in RuleKind}
    for kind, value in rows:
        found[kind].append(value)
    return found


def _whole_word_hits(text: str, terms: list[str]) -> list[str]:
    """Whole-word hits on the matching key, so đ/d, missing accents, zero-width characters and
    look-alike letters (Latin ɑ, Cyrillic а) do not evade a rule. The queue marks the same
    words with the same matcher (text.match_spans)."""
    return matching_terms(text, terms)


def _within_rate(policy: Policy, keys: list[str]) -> bool:
    if not policy.rate_limit or policy.limiter is None:
        return True
    item = parse(policy.rate_limit)
    if not all(policy.limiter.test(item, "comment", key) for key in keys):
        return False
    for key in keys:
        policy.limiter.hit(item, "comment", key)
    return True


def _store(
    article: Article,
    data: CommentInput,
    hashed_ip: str,
    status: str,
    flags: list[str],
    reason: str = "",
) -> Outcome:
    """Write the (already normalised) comment and its first audit row in one transaction; the
    outcome carries the row's id and status as plain values."""
    comment = Comment(
        article_id=article.id,
        name=data.name,
        email=data.email,
        body=data.body,
        body_html=markup.render_comment(data.body),
        status=status,
        flags="|".join(flags),
        ip_hash=hashed_ip,
        user_agent=clean_line(data.user_agent)[:200],  # a header may carry NUL
        consent_at=utcnow(),
        reason=reason,
        notify=data.notify,
    )
    audit = CommentAudit(
        comment=comment,
        actor_id=None,
        from_status="",
        to_status=status,
        reason=reason or "|".join(flags),
    )
    db.session.add_all([comment, audit])
    db.session.flush()  # both rows in one flush; the id is read before the commit expires it
    comment_id = comment.id
    db.session.commit()
    return Outcome(comment, flags=flags, comment_id=comment_id, status=status)


def _bot_reason(data: CommentInput, policy: Policy) -> str | None:
    if data.honeypot.strip():
        return "honeypot"
    if data.form_age is not None and data.form_age.total_seconds() < policy.min_seconds:
        return "too-fast"
    return None


def _count_bot(reason: str) -> None:
    """One upsert on the day's row: the count grows, the table does not."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(BotSubmissionCount).values(day=utcnow().date(), reason=reason, count=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "reason"], set_={"count": BotSubmissionCount.count + 1}
        )
    )
    db.session.commit()


def bot_counts(days: int) -> dict[str, int]:
    """Bot submissions dropped in the last `days` UTC days (today included), per reason."""
    since = utcnow().date() - timedelta(days=days - 1)
    rows = db.session.execute(
        select(BotSubmissionCount.reason, func.sum(BotSubmissionCount.count))
        .where(BotSubmissionCount.day >= since)
        .group_by(BotSubmissionCount.reason)
    )
    return {"honeypot": 0, "too-fast": 0} | {reason: int(n) for reason, n in rows}


def submit_comment(article: Article, data: CommentInput, policy: Policy) -> Outcome:
    """Run a reader's comment through the pipeline. FieldError("form", code) re-shows the form.

    Each outcome is counted for /metrics once its transaction is over."""
    try:
        outcome = _pipeline(article, data, policy)
    except FieldError as refused:
        metrics.comment_outcome(f"refused:{refused.code}")
        raise
    metrics.comment_outcome(_outcome_label(outcome))
    if outcome.comment is not None and not outcome.duplicate:
        _after_write(outcome.status == CommentStatus.PENDING, policy)
    return outcome


_LAST_RUNS = select(ContentState.digest_at, ContentState.retention_run_at).where(
    ContentState.id == retention.STATE_ROW
)


def _after_write(pending: bool, policy: Policy) -> None:
    """The moderators' digest (after a pending comment) and retention, each when due, each in
    its own transaction after the comment's. One read of both their times decides: within the
    interval, which is nearly always, a comment costs no write and no further query. Each then
    claims its run with its own atomic UPDATE, so of all app servers only one runs it."""
    digest = pending and policy.digest
    if not digest and policy.retention is None:
        return
    times = db.session.execute(_LAST_RUNS).one_or_none()
    if times is None:
        return  # no site row: neither could claim a run (as their own UPDATEs find nothing)
    now = utcnow()
    if digest:
        mail.digest_if_due(times.digest_at, now)
    if policy.retention is not None:
        retention.run_if_due(policy.retention, times.retention_run_at, now)


def _outcome_label(outcome: Outcome) -> str:
    if outcome.comment is None:
        return f"bot:{outcome.bot}"
    if outcome.duplicate:
        return "duplicate"
    return outcome.status


# Built once, like the other statements of a comment POST.
_OWN_SAME = select(Comment).where(
    Comment.id.in_(bindparam("own", expanding=True)),
    Comment.article_id == bindparam("article"),
    Comment.email == bindparam("email"),
    Comment.body == bindparam("body"),
)


def _pipeline(article: Article, data: CommentInput, policy: Policy) -> Outcome:
    if not comments_open(article, policy.close_after_days):
        raise FieldError("form", "closed")
    data = replace(
        data,
        name=clean_line(data.name),
        email=data.email.strip().lower(),
        body=normalise_body(data.body),
    )
    hashed_ip = ip_hash(data.ip, policy.secret)
    if data.form_age is None:
        raise FieldError("form", "expired")
    keys = [f"ip:{hashed_ip}", f"email:{email_hash(data.email, policy.secret)}"]
    if not _within_rate(policy, keys):
        raise FieldError("form", "rate")
    bot = _bot_reason(data, policy)
    if bot is not None:
        # Answered like a comment received: a bot learns nothing from the answer.
        _count_bot(bot)
        return Outcome(None, bot=bot)
    own = [i for i in data.own_ids if isinstance(i, int)][-50:]
    existing = (
        db.session.scalar(
            _OWN_SAME, {"own": own, "article": article.id, "email": data.email, "body": data.body}
        )
        if own
        else None
    )
    if existing is not None:
        return Outcome(existing, duplicate=True, comment_id=existing.id, status=existing.status)
    rules = _rules(data.email, hashed_ip)
    if data.email in rules[RuleKind.BLOCKED_EMAIL] or hashed_ip in rules[RuleKind.BLOCKED_IP]:
        return _store(article, data, hashed_ip, CommentStatus.SPAM, ["blocked"])
    text = f"{data.name}\n{data.body}"
    banned = _whole_word_hits(text, rules[RuleKind.BANNED])
    if banned:
        flags = [f"banned:{term}" for term in banned]
        return _store(article, data, hashed_ip, CommentStatus.REJECTED, flags, "banned")
    flags = [f"suspect:{term}" for term in _whole_word_hits(text, rules[RuleKind.SUSPECT])]
    if markup.count_links(data.body) >= 2:
        flags.append("links")
    return _store(article, data, hashed_ip, CommentStatus.PENDING, flags)
