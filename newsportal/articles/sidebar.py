"""What the reader pages' sidebar shows: a few bounded queries, the same for every reader.

Rendered once per content version, language, Vietnam day and SIDEBAR_SECONDS (`sidebar`), in
each app server, not on every page that shows it: all it shows is public content, which raises
the version, the day's upcoming sessions, and the most read, which may be SIDEBAR_SECONDS old
(a cached page keeps its ranking for longer anyway). FRAGMENT_CACHE_ENABLED = False renders it
every time.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, g
from flask_babel import get_locale
from markupsafe import Markup

from ..markup import fragment
from ..models import PageBlock
from ..pagecache import reads
from ..pages import queries as page_queries
from ..readership import queries as readership_queries
from ..text import local_today, utcnow
from . import queries

LATEST = 5
MOST_READ = 5
MOST_READ_DAYS = 7
OTHERS = 3
KEPT = "newsportal.sidebar"  # app.extensions: this server's rendered sidebars
KEPT_MOST = 8  # two kinds (with and without the latest news) in each language, and to spare


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


def sidebar(with_latest: bool = True) -> Markup:
    """The sidebar's HTML: kept for the content version the page was read under (a shared page
    reads it, pagecache.py), rendered afresh for anyone else (staff, a reader with a message)."""
    config = current_app.config
    state = g.get("content_state")
    if state is None or not config["FRAGMENT_CACHE_ENABLED"]:
        return fragment("_partials/sidebar.html", **sidebar_context(with_latest))
    key = (state.version, state.changed_at, str(get_locale()), local_today(), with_latest)
    kept: dict[Any, tuple[float, Markup, frozenset[str]]]
    kept = current_app.extensions.setdefault(KEPT, {})
    now = time.monotonic()
    found = kept.get(key)
    if found is not None and found[0] > now:
        for scope in found[2]:
            reads(scope)  # each page showing it shows what it read, as if rendered there
        return found[1]
    before = set(g.get("page_reads", ()))
    html = fragment("_partials/sidebar.html", **sidebar_context(with_latest))
    if len(kept) >= KEPT_MOST:
        kept.clear()  # an older version's: never asked for again
    read = frozenset(g.get("page_reads", ())) - before
    kept[key] = (now + config["SIDEBAR_SECONDS"], html, read)
    return html
