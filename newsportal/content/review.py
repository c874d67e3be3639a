"""Review before publishing: a writer submits ("Gửi duyệt"), an editor sends it back with a
note ("Trả lại") or approves and publishes it ("Duyệt và xuất bản").

Who may do what:
- editors and admins publish, schedule and unpublish (content.services), and review;
- a reporter writes new articles and edits their own: a draft (also one sent back) in place,
  and a published one (scheduled too) as a pending edit kept as a revision, so readers go on
  seeing the published text until an editor approves it. While it waits for review a
  reporter's article is the editors' to judge: the reporter cannot change it.

Each step is a revision with who and when (notes submit, send_back with the editor's remark,
approve), and each is one transaction. Submitting and sending back write only private rows
(a revision, the review), so no reader's page changes; approving changes the item and so the
content version. After a commit, `notices` is told (where email plugs in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from .. import markup
from ..errors import FieldError
from ..extensions import db
from ..models import Content, Review, ReviewState, Revision, Role
from ..revisions import Revisable
from ..text import clean_line, nfc, utcnow
from . import autosave, notices, queries, services

C = TypeVar("C", bound=Content)
PUBLISHERS = (Role.EDITOR, Role.ADMIN)
WRITERS = (Role.REPORTER, *PUBLISHERS)
NOTE_MAX = 2000


@dataclass(frozen=True)
class Writer:
    """Who is acting, as the services need it: plain values, not the signed-in user object."""

    id: int
    role: str

    @property
    def publishes(self) -> bool:
        return self.role in PUBLISHERS


def owner_id(item: Content) -> int | None:
    """The account that created the item (kinds without one belong to the editors)."""
    return getattr(item, "created_by_id", None)


def may_open(item: Content, writer: Writer) -> bool:
    """Editors open every item; a reporter only their own."""
    if writer.publishes:
        return True
    return writer.role == Role.REPORTER and (item.id is None or owner_id(item) == writer.id)


def edits_wait(item: Content | None) -> bool:
    """A reporter's edit of this item waits as a revision: readers may see the item (or will
    at its scheduled time), so its row stays as the editors published it."""
    return item is not None and item.id is not None and item.status == item.published_status


def check_may_write(item: Content | None, writer: Writer, review: Review | None) -> None:
    if writer.role not in WRITERS:
        raise FieldError("action", "not_allowed")
    if writer.publishes or item is None or item.id is None:
        return
    if owner_id(item) != writer.id:
        raise FieldError("action", "not_yours")
    if review is not None and review.waiting:
        raise FieldError("action", "in_review")


def check_save(item: Content | None, writer: Writer, action: str) -> None:
    """A plain save (or publish) from the edit form: editors as before; a reporter saves their
    own draft, and submits (never saves) a published article's changes."""
    check_may_write(item, writer, queries.review_of(item) if item is not None else None)
    if writer.publishes:
        return
    if action != "save":
        raise FieldError("action", "not_allowed")
    if edits_wait(item):
        raise FieldError("action", "submit_only")


def _step(item: Content, text: Revisable, user_id: int, note: str, remark: str = "") -> Revision:
    """A revision recording a review step, holding the text the step was about."""
    revision = Revision.of_kind(item.kind)(
        kind=item.kind,
        content_id=item.id,
        user_id=user_id,
        created_at=utcnow(),
        title=text.title,
        lead=text.lead,
        body_md=text.body_md,
        note=note,
        remark=remark,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


@dataclass
class _Text:
    title: str
    lead: str
    body_md: str


def _pending_edit(item: Content, data: services.ContentData, user_id: int) -> Revision:
    """The writer's text as a revision only; the item's row (and readers' pages) unchanged.
    Checked as a save checks it, so approving it later cannot fail."""
    title = clean_line(data.title)
    if not title:
        raise FieldError("title", "required")
    if data.slug.strip() and data.slug.strip() != item.slug:
        raise FieldError("slug", "published")
    text = _Text(title, nfc(data.lead).strip(), nfc(data.body_md).strip())
    markup.render_article(text.body_md)  # a refusal is a FieldError on the body
    return _step(item, text, user_id, "submit")


def submit(item: C, data: services.ContentData, writer: Writer, apply: Callable[[C], None]) -> C:
    """Save the writer's text and hand it to the editors ("Chờ duyệt").

    A draft (new, or sent back) is saved in place as the desk saves a draft, with the kind's own
    fields (`apply`); a published item's edit is kept as a revision, the item untouched."""
    review = queries.review_of(item)
    check_may_write(item, writer, review)
    if review is not None and review.waiting:
        raise FieldError("action", "in_review")
    with services.one_write():
        if edits_wait(item):
            pending: Revision | None = _pending_edit(item, data, writer.id)
        else:
            services.stage(item, data, writer.id, apply, lambda _item: None, "submit")
            pending = None
        autosave.forget(writer.id, item.kind, item.id)  # submitted: nothing left to offer back
        if review is None:
            review = Review(kind=item.kind, content_id=item.id)
            db.session.add(review)
        review.state = ReviewState.PENDING
        review.note = ""
        review.pending_revision_id = pending.id if pending is not None else None
        review.writer_id = writer.id
        review.submitted_at = utcnow()
        review.reviewer_id = None
        review.reviewed_at = None
    notices.review_requested(item.id)
    return item


def _waiting(item: Content, writer: Writer) -> Review:
    if not writer.publishes:
        raise FieldError("action", "not_allowed")
    review = queries.review_of(item)
    if review is None or not review.waiting:
        raise FieldError("action", "not_pending")
    return review


def send_back(item: C, note: str, writer: Writer) -> C:
    """Back to its writer with the editor's note; readers see nothing of it."""
    review = _waiting(item, writer)
    note = nfc(note).strip()
    if not note:
        raise FieldError("note", "required")
    if len(note) > NOTE_MAX:
        raise FieldError("note", "too_long")
    with services.one_write():
        text = queries.pending_revision(review) or item
        _step(item, text, writer.id, "send_back", note)
        review.state = ReviewState.RETURNED
        review.note = note
        review.reviewer_id = writer.id
        review.reviewed_at = utcnow()
    notices.sent_back(item.id)
    return item


def approve(item: C, writer: Writer, at: datetime | None = None) -> C:
    """Publish what the writer submitted: now, or from `at` (a future time schedules an item
    not yet public; one readers see now cannot be moved into the future)."""
    review = _waiting(item, writer)
    pending = queries.pending_revision(review)
    was_live = item.is_live()
    with services.one_write():
        if pending is not None:
            body_html = markup.render_article(pending.body_md)  # before any change
            item.title, item.lead, item.body_md = pending.title, pending.lead, pending.body_md
            item.body_html = body_html
        if item.status != item.published_status:
            services.publish(item, at)
        elif at is not None:
            services.move(item, at, was_live)
        item.remember_if_live()
        services.keep(item, writer.id, "approve")
        services.end_review(item)
    return item
