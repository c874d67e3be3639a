"""GET /search?q=: a normal page for any input, results or "nothing found"."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..request_limits import query_int
from ..text import clean_line
from . import queries

bp = Blueprint("search", __name__)


@bp.get("/search")
def search() -> str:
    typed = clean_line(request.args.get("q", "")[: queries.MAX_QUERY_CHARS])
    page = request.args.get("page", 1, type=query_int)
    page = page if 1 <= page <= 10_000 else 1
    terms = queries.parse(typed)
    results = queries.search(terms, page, current_app.config["SEARCH_PER_PAGE"]) if terms else None
    return render_template("search/results.html", q=typed, terms=terms, results=results)
