"""Paginated lists that stay cheap however long they get.

A plain paginate counts every matching row on every view: at 100,000 articles that count is
most of the home page's time. Here the count stops at `cap` rows (pages past it are still
reached: each page reads one row more than it shows, to know whether another follows).

A reader list that names itself (`kept_as`) is counted once per content version in each app
server: which articles are published, and where, changes only with the version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self, TypeVar

from flask import current_app, g
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from .extensions import db

DEFAULT_CAP = 10_000
COUNTS = "newsportal.pagination.counts"  # app.extensions: counts of the latest version's lists
COUNTS_KEPT = 512  # lists counted per version at most (categories, tags, authors): then anew
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
        cap: int = self._query_args["cap"]
        if self.seen > cap:
            return self.seen
        kept_as: tuple[Any, ...] | None = self._query_args["kept_as"]
        state = g.get("content_state")  # a shared reader page's version (pagecache.py)
        if kept_as is None or state is None:
            return max(self.seen, self._counted(cap))
        counts: dict[tuple[Any, ...], int] = current_app.extensions.setdefault(COUNTS, {})
        key = (state.version, state.changed_at, cap, *kept_as)
        if key not in counts:
            if len(counts) >= COUNTS_KEPT:
                counts.clear()  # mostly older versions', never asked for again
            counts[key] = self._counted(cap)
        return max(self.seen, counts[key])

    def _counted(self, cap: int) -> int:
        query: Select = self._query_args["select"]
        ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap)
        return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def capped_paginate(
    query: Select,
    page: int,
    per_page: int,
    cap: int = DEFAULT_CAP,
    error_out: bool = True,
    kept_as: tuple[Any, ...] | None = None,
) -> CappedPage:
    """`kept_as` names a reader list whose rows change only with the content version (the
    latest news, a category's): its count is then kept for the version."""
    return CappedPage.of(query, page, per_page, error_out, cap=cap, kept_as=kept_as)
