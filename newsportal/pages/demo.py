"""Sample content for the information pages and the complaints section (`flask demo load`).

Everything goes through the same services the desk uses, so it is rendered and checked the same
way. Loading twice changes nothing: pages are matched by slug, documents by number, results by
number and date, and the reception schedule is generated only while it is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    LegalDocument,
    Page,
    PublishedResult,
    ReceptionMode,
    ReceptionSession,
    ReceptionStatus,
)
from ..storage import Storage
from ..text import VN_TZ, document_date, utcnow, vi_fold
from . import records, sample_pdfs, services

PROVINCIAL_OFFICE = "Trụ sở Tiếp công dân tỉnh, số 488, ấp 4, Quốc lộ 50, phường Đạo Thạnh"
SAMPLE = "(Thông tin mẫu - cần cơ quan xác nhận)"
# Law 136/2025/QH15: from this day the head receives citizens in person and may not send a deputy.
NO_DEPUTY_FROM = date(2026, 7, 1)
CHAIR = "Chủ tịch UBND tỉnh"
CHAIR_OR_DEPUTY = "Chủ tịch UBND tỉnh (hoặc Phó Chủ tịch được phân công)"


def chair_title(day: date) -> str:
    """Who chairs the periodic reception on that day: before 01/7/2026 the Chair could assign a
    Vice-Chair, and the old rows keep saying so; from then on only the Chair."""
    return CHAIR if day >= NO_DEPUTY_FROM else CHAIR_OR_DEPUTY


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_pages(folder: Path) -> list[str]:
    """Pages from Markdown files with front matter, parents first (files are named in order)."""
    added = []
    for path in sorted(folder.glob("*.md")):
        post = frontmatter.load(str(path))
        meta = post.metadata
        slug = str(meta["slug"])
        if db.session.scalar(select(Page.id).where(Page.slug == slug)) is not None:
            continue
        parent = str(meta.get("parent") or "")
        parent_id = (
            db.session.scalar(select(Page.id).where(Page.slug == parent)) if parent else None
        )
        data = services.PageData(
            title=str(meta["title"]),
            slug=slug,
            lead=str(meta.get("lead") or ""),
            body_md=post.content,
            parent_id=parent_id,
            position=int(str(meta.get("position") or 0)),
            block=str(meta.get("block") or ""),
            sample_notice=bool(meta.get("sample_notice")),
            reviewed_on=_date(meta.get("reviewed_on")),
        )
        services.save_page(None, data, None, "publish")
        added.append(slug)
    return added


def _yaml(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle) or [])


def load_documents(path: Path) -> int:
    added = 0
    for row in _yaml(path):
        number = str(row["number"])
        if db.session.scalar(select(LegalDocument.id).where(LegalDocument.number == number)):
            continue
        issued = _date(row["issued_on"])
        assert issued is not None, f"{path}: {number}: issued_on is required"  # noqa: S101
        data = records.DocumentData(
            title=str(row["title"]),
            number=number,
            kind=str(row["kind"]),
            issued_on=issued,
            effective_on=_date(row.get("effective_on")),
            note=str(row.get("note") or ""),
            url=str(row.get("url") or ""),
            unconfirmed=bool(row.get("unconfirmed")),
        )
        records.save_document(None, data, None)
        added += 1
    return added


def load_results(path: Path, files: Storage) -> int:
    added = 0
    for row in _yaml(path):
        issued = _date(row["issued_on"])
        assert issued is not None, f"{path}: issued_on is required"  # noqa: S101
        number = str(row["document_number"])
        exists = select(PublishedResult.id).where(
            PublishedResult.document_number == number, PublishedResult.issued_on == issued
        )
        if db.session.scalar(exists):
            continue
        title, summary = str(row["title"]), str(row.get("summary") or "")
        pdf = None
        if not row.get("url"):
            when = document_date(issued)
            pdf = sample_pdfs.sample_decision(number, when, title, summary) or sample_pdf(
                f"{vi_fold(number).upper()} - SAMPLE"
            )
        data = records.ResultData(
            title=title,
            document_number=number,
            issued_on=issued,
            kind=str(row["kind"]),
            summary=summary,
            url=str(row.get("url") or ""),
            pdf=pdf,
        )
        records.save_result(None, data, None, files)
        added += 1
    return added


def sample_pdf(line: str) -> bytes:
    """A one-page PDF saying it is a sample, so the demo shows how an uploaded file is served.
    ASCII only: the standard Helvetica font of PDF readers has no Vietnamese letters."""
    text = line.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _working_day(day: date) -> date:
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def _months(today: date, before: int, after: int) -> Iterator[date]:
    year, month = today.year, today.month
    for offset in range(-before, after + 1):
        index = year * 12 + (month - 1) + offset
        yield date(index // 12, index % 12 + 1, 20)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def load_schedule(now: datetime | None = None) -> int:
    """The chair's monthly reception on the 20th (next working day when it falls on a weekend),
    three months back and three ahead, plus a thematic session that was postponed and an online
    one, so every state of the list can be seen."""
    if db.session.scalar(select(func.count()).select_from(ReceptionSession)):
        return 0
    today = (now or utcnow()).astimezone(VN_TZ).date()
    sessions = []
    for twentieth in _months(today, before=3, after=3):
        day = _working_day(twentieth)
        moved = day != twentieth
        note = (
            f"Ngày 20/{twentieth.month:02d} rơi vào ngày nghỉ nên chuyển sang ngày làm việc "
            "kế tiếp."
        )
        sessions.append(
            records.SessionData(
                starts_at=_at(day, 7, 30),
                ends_at=_at(day, 11, 30),
                receiver_title=chair_title(day),
                receiver_name="",
                place=PROVINCIAL_OFFICE,
                status=ReceptionStatus.MOVED if moved else ReceptionStatus.SCHEDULED,
                note=f"{note} {SAMPLE}" if moved else SAMPLE,
            )
        )
    soon = _working_day(today + timedelta(days=9))
    sessions.append(
        records.SessionData(
            starts_at=_at(soon, 14, 0),
            ends_at=_at(soon, 16, 30),
            receiver_title="Trưởng Ban Tiếp công dân tỉnh",
            receiver_name="",
            place=PROVINCIAL_OFFICE,
            mode=ReceptionMode.HYBRID,
            note=f"Tiếp chuyên đề về bồi thường, hỗ trợ khi Nhà nước thu hồi đất; có điểm cầu "
            f"trực tuyến tại UBND các xã, phường. {SAMPLE}",
        )
    )
    later = _working_day(today + timedelta(days=16))
    sessions.append(
        records.SessionData(
            starts_at=_at(later, 8, 0),
            ends_at=_at(later, 11, 0),
            receiver_title="Chánh Thanh tra tỉnh",
            receiver_name="",
            place=PROVINCIAL_OFFICE,
            status=ReceptionStatus.POSTPONED,
            note=f"Hoãn do trùng lịch công tác; ngày tiếp mới sẽ được thông báo sau. {SAMPLE}",
        )
    )
    for data in sessions:
        records.save_session(None, data, None)
    return len(sessions)
