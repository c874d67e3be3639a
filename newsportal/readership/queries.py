"""The sidebar's "Xem nhiều": the articles read most over the last days, one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Article, ArticleView, published_filter
from ..text import utcnow


@dataclass(frozen=True)
class MostRead:
    slug: str
    title: str
    views: int


def most_read(limit: int = 5, days: int = 7, today: date | None = None) -> list[MostRead]:
    """Published articles by their views over `days` UTC days, today included."""
    since = (today or utcnow().date()) - timedelta(days=days - 1)
    total = func.sum(ArticleView.views).label("total")
    rows = db.session.execute(
        select(Article.slug, Article.title, total)
        .join(Article, Article.id == ArticleView.article_id)
        .where(ArticleView.day >= since, published_filter())
        .group_by(Article.id, Article.slug, Article.title, Article.published_at)
        .order_by(total.desc(), Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return [MostRead(slug, title, int(views)) for slug, title, views in rows]
