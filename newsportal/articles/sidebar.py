"""What the reader pages' sidebar shows: a few bounded queries, the same for every reader."""

from __future__ import annotations

from ..models import PageBlock
from ..pages import queries as page_queries
from ..readership import queries as readership_queries
from ..text import utcnow
from . import queries

LATEST = 5
MOST_READ = 5
MOST_READ_DAYS = 7
OTHERS = 3


def sidebar_context(with_latest: bool = True) -> dict[str, object]:
    """with_latest=False on the home page, whose front already is the latest news."""
    pages = page_queries.pages_with_blocks(
        (PageBlock.RECEPTION_SCHEDULE, PageBlock.PUBLISHED_RESULTS, PageBlock.LEGAL_DOCUMENTS)
    )
    return {
        "latest": queries.latest_few(LATEST) if with_latest else [],
        # As of this render: a cached page keeps its ranking until it is rendered again.
        "most_read": readership_queries.most_read(MOST_READ, MOST_READ_DAYS),
        "next_sessions": page_queries.upcoming_sessions(utcnow(), limit=OTHERS),
        "schedule_page": pages.get(PageBlock.RECEPTION_SCHEDULE),
        "results": page_queries.newest_results(OTHERS),
        "results_page": pages.get(PageBlock.PUBLISHED_RESULTS),
        "documents": page_queries.newest_documents(OTHERS),
        "documents_page": pages.get(PageBlock.LEGAL_DOCUMENTS),
    }
