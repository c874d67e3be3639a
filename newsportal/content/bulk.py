"""Many new items of one kind at once (the demo generator's tens of thousands of articles),
written with the single save's own functions: the slug rule, `publish`, the revision row and
the search document. Only the statements differ: one multi-row INSERT a table, not one an item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnDefault, select

from ..bulk_insert import insert_rows
from ..extensions import db
from ..models import Content, Revision
from ..search import services as search
from . import services


def _row(item: Content) -> dict[str, Any]:
    """The item's columns as the ORM would insert them: one left unset takes its default, on the
    item too (its revision and search document are made from the item)."""
    row: dict[str, Any] = {}
    for column in type(item).__table__.columns:
        if column.primary_key:
            continue
        value = getattr(item, column.key)
        default = column.default
        if value is None and isinstance(default, ColumnDefault):
            value = default.arg(None) if default.is_callable else default.arg
            setattr(item, column.key, value)
        row[column.key] = value
    return row


def add_many(items: Sequence[Content], bodies: dict[str, dict[str, str]] | None = None) -> None:
    """Insert new items of one kind, each with its first revision and, when readers can see it
    (`services.publish` made it public), its search document: what `services.keep` writes for
    one item. Slugs are made from the titles by the single save's rule. One transaction.

    `bodies` keeps what search stores of each body (`services.body_fields`) across calls: a
    generator draws its bodies from a small pool, and making them is most of the indexing."""
    if not items:
        return
    model = type(items[0])
    slugs = services.unique_slugs(model, [services.title_slug(i.title) for i in items])
    for item, slug in zip(items, slugs, strict=True):
        item.slug = slug
    with services.one_write():
        insert_rows(model.__table__, [_row(item) for item in items])
        found = db.session.execute(select(model.slug, model.id).where(model.slug.in_(slugs)))
        ids = {slug: item_id for slug, item_id in found}
        for item in items:
            item.id = ids[item.slug]
        insert_rows(
            Revision.__table__,
            [services.revision_row(item, item.updated_by_id, _note(item)) for item in items],
        )
        bodies = {} if bodies is None else bodies
        documents = []
        for item in items:
            if item.body_html not in bodies:
                bodies[item.body_html] = services.body_fields(item.body_html)
            document = services.search_document(item, bodies[item.body_html])
            if document is not None:
                documents.append(document)
        search.add_documents(documents)


def _note(item: Content) -> str:
    """As the edit form notes it: saved public, or saved."""
    return "publish" if item.status == item.published_status else "save"
