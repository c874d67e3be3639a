"""Write side of the search index. Callers own the transaction: these functions only stage
changes in the session, so a document is indexed in the same commit as the save that changed it.

Any kind of content can be indexed: articles now, information pages (`kind="page"`) next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy import text as sql

from ..extensions import db
from ..models import SearchDocument
from ..models.search import rank_key
from ..text import clean_line, nfc
from .queries import words


def document_fields(title: str, text: str) -> dict[str, str]:
    """What a document stores of its title and text (bulk writers insert these directly)."""
    title, text = clean_line(title), " ".join(nfc(text).split())
    # Only folded words, space-separated: both databases then see exactly the same tokens
    # ("68/NQ-CP" is "68 nq cp" everywhere, not a file name to PostgreSQL's parser).
    return {
        "title": title,
        "text": text,
        "title_folded": " ".join(words(title)),
        "text_folded": " ".join(words(text)),
    }


def joined_fields(first: Mapping[str, str], second: Mapping[str, str]) -> dict[str, str]:
    """The fields of `first`'s title and both texts: folding goes word by word, so a text may be
    folded in parts (a bulk writer folds a body it has seen before only once)."""
    return {
        "title": first["title"],
        "title_folded": first["title_folded"],
        **{key: f"{first[key]} {second[key]}".strip() for key in ("text", "text_folded")},
    }


@dataclass(frozen=True)
class Document:
    kind: str
    ref_id: int
    url: str
    fields: Mapping[str, str]  # from document_fields
    visible_from: datetime | None  # None keeps it out of every result


def store_document(document: Document) -> SearchDocument:
    """Add or refresh one document."""
    doc = db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == document.kind, SearchDocument.ref_id == document.ref_id
        )
    )
    if doc is None:
        doc = SearchDocument(kind=document.kind, ref_id=document.ref_id)
        db.session.add(doc)
    doc.url = document.url
    fields = document.fields
    doc.title, doc.text = fields["title"], fields["text"]
    doc.title_folded, doc.text_folded = fields["title_folded"], fields["text_folded"]
    doc.visible_from = document.visible_from
    if document.visible_from is None:
        doc.rank_key = None
    else:
        if doc.id is None:
            db.session.flush()  # the rank key ends with the id
        doc.rank_key = rank_key(document.visible_from, doc.id)
    return doc


def index_document(
    kind: str,
    ref_id: int,
    *,
    url: str,
    title: str,
    text: str,
    visible_from: datetime | None,
) -> SearchDocument:
    """Add or refresh one document. `visible_from=None` keeps it out of every result."""
    return store_document(Document(kind, ref_id, url, document_fields(title, text), visible_from))


def _new_ids(count: int) -> list[int]:
    """Ids for rows inserted with their id given (the rank key is made from it)."""
    if db.engine.dialect.name == "postgresql":
        return list(
            db.session.scalars(
                sql(
                    "SELECT nextval(pg_get_serial_sequence('search_documents', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": count},
            )
        )
    first = (db.session.scalar(select(func.max(SearchDocument.id))) or 0) + 1
    return list(range(first, first + count))


def add_documents(documents: Sequence[Document]) -> None:
    """Insert the documents of things that have none yet, many in one statement: the rows
    `store_document` would write, for a bulk writer. The caller owns the transaction."""
    if not documents:
        return
    rows = []
    for doc, doc_id in zip(documents, _new_ids(len(documents)), strict=True):
        when = doc.visible_from
        rows.append(
            {
                "id": doc_id,
                "kind": doc.kind,
                "ref_id": doc.ref_id,
                "url": doc.url,
                **doc.fields,
                "visible_from": when,
                "rank_key": None if when is None else rank_key(when, doc_id),
            }
        )
    db.session.execute(insert(SearchDocument.__table__), rows)


def remove_document(kind: str, ref_id: int) -> None:
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)
    )


def path_for(endpoint: str, **values: str) -> str:
    """The site-relative URL of a page, also outside a request (CLI, imports)."""
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    return adapter.build(endpoint, values)
