"""The write rules every kind of content shares: the slug rule, revisions, restore, unpublish,
search indexing. Each kind's services call these inside their own unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select

from .. import markup
from ..errors import FieldError
from ..extensions import db
from ..models import Content, Revision
from ..search import services as search
from ..text import slugify, utcnow

C = TypeVar("C", bound=Content)
SLUG_ROOM = 150  # a suffix still fits the 160-character column


def slug_taken(model: type[Content], slug: str, content_id: int | None) -> bool:
    query = select(model.id).where(model.slug == slug)
    if content_id is not None:
        query = query.where(model.id != content_id)
    return db.session.scalar(query) is not None


def unique_slug(model: type[Content], base: str, content_id: int | None = None) -> str:
    slug, n = base, 2
    while slug_taken(model, slug, content_id):
        slug = f"{base[:SLUG_ROOM]}-{n}"
        n += 1
    return slug


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
    base = slugify(title)
    if not base:
        raise FieldError("title", "no_slug")
    return unique_slug(model, base, item.id)


def revision_row(item: Content, user_id: int | None, note: str) -> dict[str, object]:
    """The columns of a revision of `item` as it is now (bulk writers insert these directly)."""
    return {
        "kind": item.kind,
        "content_id": item.id,
        "user_id": user_id,
        "created_at": utcnow(),
        "title": item.title,
        "lead": item.lead,
        "body_md": item.body_md,
        "note": note,
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
    model = Revision.of_kind(item.kind)
    db.session.execute(db.delete(model).where(model.content_id == item.id))


def index(item: Content) -> None:
    """Stage the item's search document, or remove it while readers cannot see it."""
    visible_from = item.visible_from()
    if visible_from is None:
        search.remove_document(item.kind, item.id)
        return
    search.index_document(
        item.kind,
        item.id,
        url=search.path_for(item.reader_endpoint, slug=item.slug),
        title=item.title,
        text=f"{item.lead}\n{markup.plain_text(item.body_html)}",
        visible_from=visible_from,
    )


def reindex(model: type[Content]) -> int:
    """Rebuild every search document of one kind (after a restore from backup or an upgrade)."""
    count = 0
    for item in db.session.scalars(select(model)):
        index(item)
        count += 1
    db.session.commit()
    return count


def unpublish(item: C, user_id: int | None) -> C:
    """Off the public site at once, kept as a draft; the slug stays frozen if readers saw it."""
    item.remember_if_live()
    item.status = item.draft_status
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
