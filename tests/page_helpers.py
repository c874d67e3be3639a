"""Helpers shared by the information-page and complaints-section tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup

from newsportal import storage
from newsportal.extensions import db
from newsportal.models import Page, PageRevision, PublishedResult
from newsportal.pages import records, services
from newsportal.pages.demo import sample_pdf
from newsportal.text import VN_TZ

__all__ = ["sample_pdf"]


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def make_page(
    app: Any,
    title: str = "Hướng dẫn khiếu nại",
    publish: bool = True,
    parent_id: int | None = None,
    **fields: Any,
) -> Page:
    with app.app_context():
        data = services.PageData(
            title=title,
            lead=fields.pop("lead", "Sapo của trang."),
            body_md=fields.pop("body_md", "Nội dung **trang**."),
            parent_id=parent_id,
            **fields,
        )
        page = services.save_page(None, data, None, "publish" if publish else "save")
        db.session.refresh(page)
        db.session.expunge(page)
        return page


def get_page(app: Any, page_id: int) -> Page:
    with app.app_context():
        page = db.session.get(Page, page_id)
        db.session.expunge(page)
        return page


def page_revisions(app: Any, page_id: int) -> list[PageRevision]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(PageRevision)
                .where(PageRevision.page_id == page_id)
                .order_by(PageRevision.id)
            )
        )


def vn(year: int, month: int, day: int, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def make_session(app: Any, starts_at: datetime, **fields: Any) -> int:
    with app.app_context():
        data = records.SessionData(
            starts_at=starts_at,
            ends_at=fields.pop("ends_at", None),
            receiver_title=fields.pop("receiver_title", "Chủ tịch UBND tỉnh"),
            receiver_name=fields.pop("receiver_name", ""),
            place=fields.pop("place", "Trụ sở Tiếp công dân tỉnh"),
            **fields,
        )
        return records.save_session(None, data, None).id


def make_result(app: Any, number: str, issued_on: date, **fields: Any) -> int:
    with app.app_context():
        data = records.ResultData(
            title=fields.pop("title", f"Quyết định giải quyết khiếu nại {number}"),
            document_number=number,
            issued_on=issued_on,
            kind=fields.pop("kind", "complaint"),
            url=fields.pop("url", "https://example.gov.vn/van-ban.pdf"),
            **fields,
        )
        return records.save_result(None, data, None, _uploads(app)).id


def results(app: Any) -> list[PublishedResult]:
    with app.app_context():
        return list(db.session.scalars(db.select(PublishedResult).order_by(PublishedResult.id)))


def _uploads(app: Any) -> Any:
    return storage.backend(app, app.config["STORAGE_BACKEND"])
