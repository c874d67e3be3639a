"""Views per article and UTC day: the counts behind "Xem nhiều", and nothing about who read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .public import PrivateContent


class ArticleView(PrivateContent, db.Model):  # type: ignore[name-defined]
    """Private, though the sidebar shows a ranking made from it: a flush of the counts must not
    raise the content version, or every cached page would be thrown away once a minute. The
    ranking changes when a page is rendered again, like the sidebar's other blocks."""

    __tablename__ = "article_views"
    __table_args__ = (Index("ix_article_views_day", "day"),)  # the last 7 days, all articles

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
