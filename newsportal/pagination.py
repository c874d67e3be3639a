"""Paginated lists that stay cheap however long they get.

A plain paginate counts every matching row on every view: at 100,000 articles that count is
most of the home page's time. Here the count stops at `cap` rows (pages past it are still
reached: each page reads one row more than it shows, to know whether another follows).
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from .extensions import db

DEFAULT_CAP = 10_000


class CappedPage(Pagination):
    def __init__(self, **kwargs: Any) -> None:
        self.more = False
        super().__init__(**kwargs)

    def _query_items(self) -> list[Any]:
        query: Select = self._query_args["select"]
        rows = db.session.scalars(query.limit(self.per_page + 1).offset(self._query_offset))
        found = list(rows.unique())
        self.more = len(found) > self.per_page
        return found[: self.per_page]

    def _query_count(self) -> int:
        query: Select = self._query_args["select"]
        cap: int = self._query_args["cap"]
        seen = self._query_offset + len(self.items) + (1 if self.more else 0)
        if seen > cap:
            return seen
        ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap)
        counted = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
        return max(seen, counted)


def capped_paginate(
    query: Select, page: int, per_page: int, cap: int = DEFAULT_CAP, error_out: bool = True
) -> CappedPage:
    return CappedPage(
        page=page,
        per_page=per_page,
        max_per_page=per_page,
        error_out=error_out,
        select=query,
        cap=cap,
    )
