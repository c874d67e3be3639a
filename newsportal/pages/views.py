"""Reader side of information pages: /pages/<slug>, the reception calendar feed, result PDFs."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask_sqlalchemy.pagination import Pagination
from werkzeug.wrappers import Response

from ..models import Page, PageBlock, ResultKind
from ..pagecache import cached_page, page_param
from ..request_limits import query_int
from ..storage import current as storage
from ..storage import send
from ..text import utcnow
from ..urls import absolute_url, public_host
from . import ical, pdfs, queries

bp = Blueprint("pages", __name__)

FEED_PAST_DAYS = 90  # calendar apps keep what they already have; recent history is enough


def _page_number() -> int:
    page = request.args.get("page", 1, type=query_int)
    if page < 1 or page > 100_000:
        abort(404)
    return page


def _listed(listing: Pagination) -> Pagination:
    if listing.page > 1 and not listing.items:
        abort(404)  # past the last page: no page there (so no cache entry either)
    return listing


def _block_context(page: Page) -> dict[str, object]:
    """What the page's structured list needs, loaded only for the page that shows it."""
    config = current_app.config
    now = utcnow()
    if page.block == PageBlock.RECEPTION_SCHEDULE:
        return {
            "upcoming": queries.upcoming_sessions(now),
            "past": _listed(queries.past_sessions(now, _page_number(), config["SECTION_PER_PAGE"])),
        }
    if page.block == PageBlock.PUBLISHED_RESULTS:
        kind = request.args.get("kind")
        kind = kind if kind in {k.value for k in ResultKind} else None
        return {
            "results": _listed(queries.results(_page_number(), config["SECTION_PER_PAGE"], kind)),
            "kind": kind,
        }
    if _page_number() > 1:
        abort(404)  # a page without a list has no page 2
    if page.block == PageBlock.LEGAL_DOCUMENTS:
        return {"documents": queries.documents()}
    return {}


def _kind_param(value: str) -> str | None:
    return value if value in {k.value for k in ResultKind} else None  # any other: all kinds


@bp.get("/pages/<slug>")
@cached_page(params={"page": page_param, "kind": _kind_param})
def page(slug: str) -> str:
    found = queries.public_page(slug)
    if found is None:
        abort(404)
    trail = queries.ancestors(found)
    top = trail[0] if trail else found
    context = _block_context(found)
    if found.slug == queries.SECTION_ROOT:
        context["next_sessions"] = queries.upcoming_sessions(utcnow(), limit=3)
        context["schedule_page"] = queries.page_with_block(PageBlock.RECEPTION_SCHEDULE)
    return render_template(
        "pages/page.html",
        page=found,
        trail=trail,
        section=top,
        section_pages=queries.public_children(top.id),
        children=queries.public_children(found.id) if found is not top else [],
        **context,
    )


@bp.get("/pages/lich-tiep-cong-dan.ics")
@cached_page
def reception_calendar() -> Response:
    """iCalendar feed of the reception schedule, for citizens' and staff's calendar apps."""
    sessions = queries.sessions_for_feed(utcnow() - timedelta(days=FEED_PAST_DAYS))
    schedule = queries.page_with_block(PageBlock.RECEPTION_SCHEDULE)
    page_url = absolute_url("pages.page", slug=schedule.slug) if schedule is not None else ""
    body = ical.calendar(sessions, current_app.config["SITE_NAME"], public_host(), page_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="lich-tiep-cong-dan.ics"'
    return response


@bp.get("/documents/<sha>.pdf")
def result_pdf(sha: str) -> Response:
    """A published result's PDF; only files a result still uses are served."""
    name = pdfs.key(sha)
    if name is None or queries.result_with_file(sha) is None:
        abort(404)
    # A day, not a year: a result taken down should leave shared caches by tomorrow.
    response = send(storage(), name, request.environ, "application/pdf", 86400)
    if response is None:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Whatever a PDF contains, it gets no scripts or same-origin rights of ours.
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
