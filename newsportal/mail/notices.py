"""What the site emails, and to whom: each function writes outbox rows (outbox.py).

Staff: a forgotten-password link, a digest to moderators when comments wait (at most one per
MODERATION_DIGEST_MINUTES), a notice to editors when an article waits for review and one to its
writer when an editor sends it back with a note. Readers, only
when they ticked the box under their comment: one email when it is approved (sent once the
moderator's undo window, MODERATION_UNDO_MINUTES, has closed) and one when the editorial board
answers it, each with a one-click unsubscribe, and at most READER_MAIL_PER_DAY emails per address
in 24 hours whatever happens, since the address was never verified.

Every message is in the site's language (BABEL_DEFAULT_LOCALE), not in the language of whoever
caused it, and every link is on PUBLIC_URL (urls.public_link), never the request's Host.
Functions named for a change (`comment_approved`, `comment_answered`,
`cancel_comment_notices`) add to the caller's transaction; the others commit their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from ..extensions import db
from ..keys import signing_keys
from ..models import (
    Article,
    Comment,
    CommentStatus,
    ContentState,
    MailKind,
    Review,
    ReviewState,
    Role,
    User,
)
from ..text import utcnow
from ..urls import public_link
from . import outbox

STATE_ROW = 1  # content_version.ROW: the one site row
UNSUBSCRIBE_SALT = "mail-unsubscribe"


def _config() -> Any:
    return current_app.config


def _secret() -> str:
    return str(_config()["IP_HASH_KEY"])


def _render(template: str, **context: Any) -> str:
    with _in_site_language():
        return render_template(f"mail/{template}", site=_config()["SITE_NAME"], **context)


def _in_site_language() -> Any:
    return force_locale(_config()["BABEL_DEFAULT_LOCALE"])


def _staff(*roles: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.role.in_(list(roles))).order_by(User.id)
        )
    )


# --- staff ---------------------------------------------------------------------------------


def password_reset(user: User, link: str, minutes: int) -> None:
    """The reset link for `user` (the caller commits, with the security event)."""
    body = _render("password_reset.txt", user=user, link=link, minutes=minutes)
    with _in_site_language():
        subject = _("Set a new password for %(site)s", site=_config()["SITE_NAME"])
    outbox.enqueue(user.email, subject, body, MailKind.PASSWORD_RESET, _secret())


def _claim_digest(last: datetime | None, now: datetime) -> bool:
    """This interval's digest, atomically: only one writer's UPDATE still finds `last`."""
    claimed = db.session.execute(
        update(ContentState)
        .where(
            ContentState.id == STATE_ROW,
            ContentState.digest_at.is_(None) if last is None else ContentState.digest_at == last,
        )
        .values(digest_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(claimed, "rowcount", 0))


def moderation_digest(now: datetime | None = None) -> int:
    """Tell moderators that comments wait, when some came in since the last digest and that was
    more than MODERATION_DIGEST_MINUTES ago. Called after a comment is written and by `flask
    mail send`; of all app servers exactly one sends each digest. Returns emails written.
    Within the interval it costs one query."""
    last = db.session.scalar(select(ContentState.digest_at).where(ContentState.id == STATE_ROW))
    return digest_if_due(last, now or utcnow())


def digest_if_due(last: datetime | None, now: datetime) -> int:
    """`moderation_digest` for a caller that has just read `last` (digest_at) itself. A stale
    `last` only makes the claim fail: the UPDATE must still find it."""
    every = timedelta(minutes=int(_config()["MODERATION_DIGEST_MINUTES"]))
    if last is not None and last > now - every:
        return 0
    pending = Comment.status == CommentStatus.PENDING
    newer = select(Comment.id).where(pending)
    if last is not None:
        newer = newer.where(Comment.created_at > last)
    if db.session.scalar(newer.limit(1)) is None or not _claim_digest(last, now):
        return 0
    waiting = int(db.session.scalar(select(func.count()).where(pending)) or 0)
    people = _staff(Role.MODERATOR) or _staff(Role.ADMIN)
    link = public_link("moderation.queue")
    with _in_site_language():
        subject = _("Comments awaiting moderation: %(n)d", n=waiting)
    for person in people:
        body = _render("moderation_digest.txt", user=person, waiting=waiting, link=link)
        outbox.enqueue(person.email, subject, body, MailKind.MODERATION_DIGEST, _secret())
    db.session.commit()
    return len(people)


def review_requested(article_id: int) -> int:
    """Tell the editors that an article waits for their review (after it was submitted)."""
    article = db.session.get(Article, article_id)
    if article is None:
        return 0
    people = _staff(Role.EDITOR, Role.ADMIN)
    link = public_link("editor.review", article_id=article.id)  # where an editor judges it
    with _in_site_language():
        subject = _("An article awaits review: %(title)s", title=article.title)
    for person in people:
        body = _render("review_requested.txt", user=person, article=article, link=link)
        outbox.enqueue(
            person.email,
            subject,
            body,
            MailKind.REVIEW_REQUESTED,
            _secret(),
            ref=f"article:{article.id}",
        )
    db.session.commit()
    return len(people)


def sent_back(article_id: int) -> bool:
    """Tell the article's writer (the staff account that created it) that an editor sent it
    back, with the editor's note and a link to its edit page (after the send-back committed).
    False when there is nobody to tell: no such article, not sent back, no active writer."""
    article = db.session.get(Article, article_id)
    if article is None or article.created_by_id is None:
        return False
    review = db.session.scalar(
        select(Review).where(Review.kind == article.kind, Review.content_id == article.id)
    )
    writer = db.session.get(User, article.created_by_id)
    if review is None or review.state != ReviewState.RETURNED or not (writer and writer.active):
        return False
    link = public_link("editor.edit", article_id=article.id)
    body = _render(
        "review_sent_back.txt", user=writer, article=article, note=review.note, link=link
    )
    with _in_site_language():
        subject = _("Sent back with a note: %(title)s", title=article.title)
    outbox.enqueue(
        writer.email,
        subject,
        body,
        MailKind.REVIEW_SENT_BACK,
        _secret(),
        ref=f"article:{article.id}",
    )
    db.session.commit()
    return True


# --- readers -------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(signing_keys(_config()), salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(comment_id: int) -> str:
    """Names a comment, not an address: no email in a URL, a log line or a browser history."""
    return str(_serializer().dumps(comment_id))


def comment_for_token(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _reader_notice(comment: Comment, kind: str, template: str, send_after: datetime) -> bool:
    """One email of `kind` about this comment, if the reader asked and the cap allows."""
    if not comment.notify or not comment.email:
        return False
    ref = f"comment:{comment.id}"
    if outbox.exists(kind, ref):
        return False  # one email per comment and kind, even when approved twice
    config = _config()
    recipient_hash = outbox.address_hash(comment.email, _secret())
    since = utcnow() - timedelta(days=1)
    if outbox.count_since(recipient_hash, MailKind.READER, since) >= int(
        config["READER_MAIL_PER_DAY"]
    ):
        return False
    article = db.session.get(Article, comment.article_id)
    if article is None:
        return False
    title = article.title
    unsubscribe = public_link("mail.unsubscribe", token=unsubscribe_token(comment.id))
    link = public_link("reader.article", slug=article.slug, _anchor=f"comment-{comment.id}")
    body = _render(template, comment=comment, article=article, link=link, unsubscribe=unsubscribe)
    with _in_site_language():
        subjects = {
            MailKind.COMMENT_APPROVED: _("Your comment on “%(title)s” is published", title=title),
            MailKind.COMMENT_ANSWERED: _(
                "The editorial board answered your comment on “%(title)s”", title=title
            ),
        }
    outbox.enqueue(
        comment.email,
        subjects[kind],
        body,
        kind,
        _secret(),
        ref=ref,
        send_after=send_after,
        unsubscribe_url=unsubscribe,
    )
    return True


def comment_approved(comments: Iterable[Comment], now: datetime | None = None) -> int:
    """Approval notices, sent once the undo window has closed (the caller commits)."""
    minutes = int(_config().get("MODERATION_UNDO_MINUTES", 10))
    after = (now or utcnow()) + timedelta(minutes=minutes)
    return sum(
        _reader_notice(c, MailKind.COMMENT_APPROVED, "comment_approved.txt", after)
        for c in comments
    )


def comment_answered(comment: Comment) -> bool:
    """The editorial board answered: tell the reader, if they asked (the caller commits)."""
    return _reader_notice(comment, MailKind.COMMENT_ANSWERED, "comment_answered.txt", utcnow())


def cancel_comment_notices(comment_ids: Iterable[int]) -> int:
    """An approval undone: its notices not yet sent are dropped (the caller commits)."""
    refs = [f"comment:{int(i)}" for i in comment_ids]
    return outbox.cancel([MailKind.COMMENT_APPROVED], refs) if refs else 0


def unsubscribe(token: str) -> bool:
    """Turn off every notice to the address of the token's comment; False: a bad token."""
    comment_id = comment_for_token(token)
    if comment_id is None:
        return False
    email = db.session.scalar(select(Comment.email).where(Comment.id == comment_id))
    if email:
        # A bulk UPDATE: the comments' public text is unchanged, so no cached page is dropped.
        db.session.execute(
            update(Comment)
            .where(Comment.email == email, Comment.notify.is_(True))
            .values(notify=False)
            .execution_options(synchronize_session=False)
        )
        outbox.cancel(MailKind.READER, recipient=email)
    db.session.commit()
    return True
