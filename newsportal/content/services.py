"""The write rules every kind of content shares: the slug rule, the text, publish, schedule and
unpublish, revisions, restore, search indexing. A kind's services call `save` with what is its
own; `bulk.add_many` writes many new items with the same functions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, select

from .. import markup
from ..errors import FieldError
from ..extensions import db
from ..models import Content, Review, Revision
from ..search import services as search
from ..text import clean_line, nfc, slugify, utcnow
from . import autosave

C = TypeVar("C", bound=Content)
SLUG_ROOM = 150  # a suffix still fits the 160-character column
# What the edit form's buttons ask for (see `save`); publish_now only where there is a time.
ACTIONS = ("save", "publish", "publish_now")


@dataclass(frozen=True, kw_only=True)
class ContentData:
    """What an editor typed into the fields every kind has; a kind's data adds its own."""

    title: str
    lead: str
    body_md: str
    slug: str = ""


def _taken(model: type[Content], slugs: Sequence[str], content_id: int | None) -> set[str]:
    query = select(model.slug).where(model.slug.in_(slugs))
    if content_id is not None:
        query = query.where(model.id != content_id)
    return set(db.session.scalars(query))


def slug_taken(model: type[Content], slug: str, content_id: int | None) -> bool:
    return bool(_taken(model, [slug], content_id))


def _suffixed(base: str, n: int) -> str:
    return base if n == 1 else f"{base[:SLUG_ROOM]}-{n}"


def unique_slugs(
    model: type[Content], bases: Sequence[str], content_id: int | None = None
) -> list[str]:
    """Each base as it is when it is free, else with the first free suffix (-2, -3 ...), in the
    order given and none given twice: what saving them one by one would choose, with one query
    a round (a round looks at as many slugs of a base as there are items still waiting)."""
    waiting: dict[str, list[int]] = {}
    for i, base in enumerate(bases):
        waiting.setdefault(base, []).append(i)
    looked = dict.fromkeys(waiting, 0)
    chosen: dict[int, str] = {}
    given: set[str] = set()
    while waiting:
        window = {
            base: [_suffixed(base, looked[base] + k) for k in range(1, len(items) + 1)]
            for base, items in waiting.items()
        }
        taken = _taken(model, [slug for slugs in window.values() for slug in slugs], content_id)
        for base, slugs in window.items():
            looked[base] += len(slugs)
            items = waiting[base]
            for slug in slugs:
                if slug not in taken and slug not in given:
                    chosen[items.pop(0)] = slug
                    given.add(slug)
        waiting = {base: items for base, items in waiting.items() if items}
    return [chosen[i] for i in range(len(bases))]


def unique_slug(model: type[Content], base: str, content_id: int | None = None) -> str:
    return unique_slugs(model, [base], content_id)[0]


def title_slug(title: str) -> str:
    """The slug a title makes, before a suffix; a title without a letter or digit makes none."""
    base = slugify(title)
    if not base:
        raise FieldError("title", "no_slug")
    return base


def choose_slug(item: Content, typed: str, title: str) -> str:
    """One rule for every kind: fixed once readers may have seen it; a typed slug that is taken
    is refused (the editor chose it, so the editor decides); one made from the title gets a
    suffix when it is taken (nobody chose it)."""
    typed = typed.strip()
    if item.id is not None and item.ever_published:
        if typed and typed != item.slug:
            raise FieldError("slug", "published")
        return item.slug
    model = type(item)
    if typed:
        slug = slugify(typed)
        if not slug:
            raise FieldError("slug", "invalid")
        if slug_taken(model, slug, item.id):
            raise FieldError("slug", "taken")
        return slug
    if item.id is not None and item.slug:
        return item.slug
    return unique_slug(model, title_slug(title), item.id)


def apply_text(item: Content, data: ContentData) -> None:
    """The title, slug, lead and body as every kind stores them; the body rendered once, here."""
    title = clean_line(data.title)
    if not title:
        raise FieldError("title", "required")
    item.slug = choose_slug(item, data.slug, title)
    item.title = title
    item.lead = nfc(data.lead).strip()
    item.body_md = nfc(data.body_md).strip()
    item.body_html = markup.render_article(item.body_md)


def publish(item: Content, at: datetime | None = None) -> None:
    """Public from `at`, or from now. A future `at` schedules it, with nothing to run later:
    readers' queries and search compare the time with the clock when they read."""
    item.status = item.published_status
    if item.schedulable:
        item.show_from(at or utcnow())
    elif at is not None:
        raise FieldError("published_at", "invalid")
    item.remember_if_live()
    # Published from the desk: a writer's draft waiting for review has been dealt with. A
    # pending edit of a published item is another text, left for its own review.
    end_review(item, keep_pending_edit=True)


def end_review(item: Content, keep_pending_edit: bool = False) -> None:
    """The item's review is over (content.review): the steps stay in the history."""
    if item.id is None:
        return
    query = delete(Review).where(Review.kind == item.kind, Review.content_id == item.id)
    if keep_pending_edit:
        query = query.where(Review.pending_revision_id.is_(None))
    db.session.execute(query)


def move(item: Content, at: datetime, was_live: bool) -> None:
    """A new time for a schedulable item; whether it is public does not change. One readers
    can see is not moved into the future (it would vanish): unpublish it first."""
    if not item.schedulable:
        raise FieldError("published_at", "invalid")
    if was_live and at > utcnow():
        raise FieldError("published_at", "future_live")
    item.show_from(at)


def withdraw(item: Content) -> None:
    """Not public any more, kept as a draft; the slug stays frozen if readers saw it."""
    item.remember_if_live()
    item.status = item.draft_status


def check_action(item: Content, action: str) -> None:
    if action not in ACTIONS or (action == "publish_now" and not item.schedulable):
        raise FieldError("action", "invalid")


def save(
    item: C,
    data: ContentData,
    action: str,
    user_id: int | None,
    apply: Callable[[C], None],
    at: datetime | None = None,
) -> C:
    """The edit form's write, for every kind: the kind's own fields (`apply` checks and sets
    them), the shared text and slug, then when readers see it, with a revision and the search
    document, in one commit.

    save: whether it is public does not change; a time `at` moves it (see `move`).
    publish: public from `at` when given (a future time schedules it), else from now.
    publish_now: public now, whatever time was typed (kinds with a time).
    """
    check_action(item, action)
    was_live = item.id is not None and item.is_live()

    def when(target: C) -> None:
        if action == "publish_now":
            publish(target)
        elif action == "publish":
            publish(target, at)
        elif at is not None:
            move(target, at, was_live)

    with one_write():
        stage(item, data, user_id, apply, when, "save" if action == "save" else "publish")
        autosave.forget(user_id, item.kind, item.id)  # saved: nothing left to offer back
    return item


def stage(
    item: C,
    data: ContentData,
    user_id: int | None,
    apply: Callable[[C], None],
    when: Callable[[C], None],
    note: str,
) -> C:
    """`save` without its commit, for a writer that owns a larger unit of work (the importer:
    a category and an article, all or nothing): the kind's own fields, the shared text and slug,
    then `when` decides when readers see it, then the revision and the search document."""
    with db.session.no_autoflush:  # the slug check must not flush a half-filled row
        apply(item)
        apply_text(item, data)
    when(item)
    item.remember_if_live()
    keep(item, user_id, note)
    return item


def revision_row(item: Content, user_id: int | None, note: str) -> dict[str, object]:
    """The columns of a revision of `item` as it is now, saved at its `updated_at`."""
    return {
        "kind": item.kind,
        "content_id": item.id,
        "user_id": user_id,
        "created_at": item.updated_at,
        "title": item.title,
        "lead": item.lead,
        "body_md": item.body_md,
        "note": note,
        "remark": "",
    }


def revise(item: Content, user_id: int | None, note: str) -> None:
    """Stamp the change and keep the text as a new revision."""
    item.updated_at = utcnow()
    item.updated_by_id = user_id
    db.session.add(item)
    if item.id is None:
        db.session.flush()  # the revision needs the id
    db.session.add(Revision.of_kind(item.kind)(**revision_row(item, user_id, note)))


def keep(item: Content, user_id: int | None, note: str) -> None:
    """A new revision of the item as it is now, and its search document, in the same commit."""
    revise(item, user_id, note)
    db.session.flush()
    index(item)


@contextmanager
def one_write() -> Iterator[None]:
    """Everything the block stages is committed together, or none of it is."""
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def forget_revisions(item: Content) -> None:
    """With the content itself (there is no foreign key to cascade from one table to two)."""
    end_review(item)  # it may point at a revision
    model = Revision.of_kind(item.kind)
    db.session.execute(db.delete(model).where(model.content_id == item.id))


def body_fields(body_html: str) -> dict[str, str]:
    """What search keeps of a body (bulk writers reuse it for a body they have seen)."""
    return search.document_fields("", markup.plain_text(body_html))


def search_document(item: Content, body: Mapping[str, str] | None = None) -> search.Document | None:
    """The item's search document as it is now; None while readers cannot see it at all."""
    visible_from = item.visible_from()
    if visible_from is None:
        return None
    head = search.document_fields(item.title, item.lead)
    fields = search.joined_fields(head, body or body_fields(item.body_html))
    words = item.search_words()
    if words:  # after the body: a snippet still starts with the lead
        fields = search.joined_fields(fields, search.document_fields("", words))
    return search.Document(
        item.kind,
        item.id,
        url=search.path_for(item.reader_endpoint, slug=item.slug),
        fields=fields,
        visible_from=visible_from,
    )


def index(item: Content) -> None:
    """Stage the item's search document, or remove it while readers cannot see it."""
    document = search_document(item)
    if document is None:
        search.remove_document(item.kind, item.id)
    else:
        search.store_document(document)


def reindex(model: type[Content]) -> int:
    """Rebuild every search document of one kind (after a restore from backup or an upgrade)."""
    count = 0
    for item in db.session.scalars(select(model).options(*model.search_loads())):
        index(item)
        count += 1
    db.session.commit()
    return count


def unpublish(item: C, user_id: int | None) -> C:
    """Off the public site at once, kept as a draft; the slug stays frozen if readers saw it."""
    withdraw(item)
    item.updated_at = utcnow()
    item.updated_by_id = user_id
    index(item)
    db.session.commit()
    return item


def restore(item: C, revision: Revision, user_id: int | None) -> C:
    """Bring back an earlier title, lead and body; the restore is itself a new revision.

    Raises markup.MarkupRefused, with the item untouched, when the old body cannot be rendered.
    """
    body_html = markup.render_article(revision.body_md)  # before any change: all or nothing
    item.title = revision.title
    item.lead = revision.lead
    item.body_md = revision.body_md
    item.body_html = body_html
    keep(item, user_id, f"restore:{revision.id}")
    db.session.commit()
    return item
