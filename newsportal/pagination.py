"""Paginated lists that stay cheap however long they get.

A plain paginate counts every matching row on every view: at 100,000 articles that count is
most of the home page's time. Here the count stops at `cap` rows (pages past it are still
reached: each page reads one row more than it shows, to know whether another follows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self, TypeVar

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from .extensions import db

DEFAULT_CAP = 10_000
T = TypeVar("T")


class ReadAheadPage(Pagination):
    """A page that reads one row past its end, to know whether another page follows without
    counting. Built with `of`; a subclass reads through `ahead` and `keep` and decides in
    `_query_count` how far past `seen` (the rows known to exist) the page numbers go."""

    def __init__(self, **kwargs: Any) -> None:
        self.more = False
        super().__init__(**kwargs)

    @classmethod
    def of(cls, query: Select, page: int, per_page: int, error_out: bool, **args: Any) -> Self:
        return cls(
            page=page,
            per_page=per_page,
            max_per_page=per_page,
            error_out=error_out,
            select=query,
            **args,
        )

    def ahead(self, query: Select) -> Select:
        """`query` limited to this page's rows and the one after."""
        return query.limit(self.per_page + 1).offset(self._query_offset)

    def keep(self, rows: Sequence[T]) -> list[T]:
        """This page's rows out of what `ahead` read, noting whether one was left over."""
        self.more = len(rows) > self.per_page
        return list(rows[: self.per_page])

    @property
    def seen(self) -> int:
        return self._query_offset + len(self.items) + (1 if self.more else 0)


class CappedPage(ReadAheadPage):
    def _query_items(self) -> list[Any]:
        query: Select = self._query_args["select"]
        return self.keep(list(db.session.scalars(self.ahead(query)).unique()))

    def _query_count(self) -> int:
        query: Select = self._query_args["select"]
        cap: int = self._query_args["cap"]
        if self.seen > cap:
            return self.seen
        ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap)
        counted = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
        return max(self.seen, counted)


def capped_paginate(
    query: Select, page: int, per_page: int, cap: int = DEFAULT_CAP, error_out: bool = True
) -> CappedPage:
    return CappedPage.of(query, page, per_page, error_out, cap=cap)
