"""Write side of the search index. Callers own the transaction: these functions only stage
changes in the session, so a document is indexed in the same commit as the save that changed it.

Any kind of content can be indexed: articles now, information pages (`kind="page"`) next.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select

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
    doc = db.session.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)
    )
    if doc is None:
        doc = SearchDocument(kind=kind, ref_id=ref_id)
        db.session.add(doc)
    doc.url = url
    fields = document_fields(title, text)
    doc.title, doc.text = fields["title"], fields["text"]
    doc.title_folded, doc.text_folded = fields["title_folded"], fields["text_folded"]
    doc.visible_from = visible_from
    if visible_from is None:
        doc.rank_key = None
    else:
        if doc.id is None:
            db.session.flush()  # the rank key ends with the id
        doc.rank_key = rank_key(visible_from, doc.id)
    return doc


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
