"""Write side of the section's structured lists: reception sessions, published results, legal
documents. Each function is one transaction and takes plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ..errors import FieldError
from ..extensions import db
from ..models import (
    DocumentKind,
    LegalDocument,
    PublishedResult,
    ReceptionMode,
    ReceptionSession,
    ReceptionStatus,
    ResultKind,
)
from ..storage import Storage
from ..text import clean_line, nfc, utcnow
from . import identifying, pdfs


def _one_of(value: str, allowed: type, field: str) -> str:
    if value not in {member.value for member in allowed}:  # type: ignore[attr-defined]
        raise FieldError(field, "unknown")
    return value


def _url(value: str) -> str:
    url = value.strip()
    if url and not url.lower().startswith(("https://", "http://", "/")):
        raise FieldError("url", "bad_url")
    return url


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime
    ends_at: datetime | None
    receiver_title: str
    receiver_name: str
    place: str
    mode: str = ReceptionMode.IN_PERSON
    status: str = ReceptionStatus.SCHEDULED
    note: str = ""


def save_session(
    item: ReceptionSession | None, data: SessionData, user_id: int | None
) -> ReceptionSession:
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        raise FieldError("ends_at", "ends_before")
    title, place = clean_line(data.receiver_title), clean_line(data.place)
    if not title:
        raise FieldError("receiver_title", "required")
    if not place:
        raise FieldError("place", "required")
    mode = _one_of(data.mode, ReceptionMode, "mode")
    status = _one_of(data.status, ReceptionStatus, "status")
    if item is None:
        item = ReceptionSession()
        db.session.add(item)
    else:
        item.sequence += 1
    item.starts_at, item.ends_at = data.starts_at, data.ends_at
    item.receiver_title, item.receiver_name = title, clean_line(data.receiver_name)
    item.place, item.mode, item.status, item.note = place, mode, status, clean_line(data.note)
    item.updated_at, item.updated_by_id = utcnow(), user_id
    _commit()
    return item


@dataclass(frozen=True)
class ResultData:
    title: str
    document_number: str
    issued_on: date
    kind: str
    summary: str = ""
    url: str = ""
    pdf: bytes | None = None  # a new file replaces the old one
    remove_pdf: bool = False
    max_pdf_bytes: int = 15 * 1024 * 1024


def save_result(
    item: PublishedResult | None, data: ResultData, user_id: int | None, files: Storage
) -> PublishedResult:
    """Everything is checked before anything changes; the PDF is stored before the commit (with
    it, on the database backend)."""
    title, number = clean_line(data.title), clean_line(data.document_number)
    if not title:
        raise FieldError("title", "required")
    if not number:
        raise FieldError("document_number", "required")
    url = _url(data.url)
    kind = _one_of(data.kind, ResultKind, "kind")
    summary = nfc(data.summary).strip()
    _refuse_identifying(kind, title, summary)
    sha = pdfs.check(data.pdf, data.max_pdf_bytes) if data.pdf else None
    old_sha = item.file_sha256 if item is not None else ""
    new_sha = sha or ("" if data.remove_pdf else old_sha)
    if not url and not new_sha:
        raise FieldError("url", "link_or_file")
    if item is None:
        item = PublishedResult()
        db.session.add(item)
    if sha is not None and data.pdf is not None:
        pdfs.store(files, sha, data.pdf)  # content-addressed: writing it twice is harmless
        item.file_size = len(data.pdf)
    elif not new_sha:
        item.file_size = 0
    item.file_sha256 = new_sha
    item.title, item.document_number, item.issued_on = title, number, data.issued_on
    item.kind, item.summary, item.url = kind, summary, url
    item.updated_at, item.updated_by_id = utcnow(), user_id
    _commit()
    if old_sha and old_sha != new_sha:
        _drop_unused_pdf(files, old_sha)
    return item


def _refuse_identifying(kind: str, title: str, summary: str) -> None:
    """The published-results policy: no complainant findable, no one an unfounded
    denunciation accused named (see identifying.py)."""
    complaint = kind == ResultKind.COMPLAINT
    unfounded = not complaint and identifying.unfounded(title, summary)
    for field, text in (("title", title), ("summary", summary)):
        code = identifying.problem(text, complaint=complaint, unfounded=unfounded)
        if code is not None:
            raise FieldError(field, code)


def delete_result(item: PublishedResult, files: Storage) -> None:
    sha = item.file_sha256
    db.session.delete(item)
    _commit()
    if sha:
        _drop_unused_pdf(files, sha)


def _drop_unused_pdf(files: Storage, sha: str) -> None:
    used = select(func.count()).where(PublishedResult.file_sha256 == sha)
    if not db.session.scalar(used):
        pdfs.remove(files, sha)


@dataclass(frozen=True)
class DocumentData:
    title: str
    number: str
    kind: str
    issued_on: date
    effective_on: date | None = None
    note: str = ""
    url: str = ""
    unconfirmed: bool = False


def save_document(
    item: LegalDocument | None, data: DocumentData, user_id: int | None
) -> LegalDocument:
    title, number = clean_line(data.title), clean_line(data.number)
    if not title:
        raise FieldError("title", "required")
    if not number:
        raise FieldError("number", "required")
    clash = select(LegalDocument.id).where(LegalDocument.number == number)
    if item is not None:
        clash = clash.where(LegalDocument.id != item.id)
    if db.session.scalar(clash) is not None:
        raise FieldError("number", "taken")
    if data.effective_on is not None and data.effective_on < data.issued_on:
        raise FieldError("effective_on", "effective_before")
    kind, url = _one_of(data.kind, DocumentKind, "kind"), _url(data.url)
    if item is None:
        item = LegalDocument()
        db.session.add(item)
    item.title, item.number, item.kind, item.url = title, number, kind, url
    item.issued_on, item.effective_on = data.issued_on, data.effective_on
    item.note, item.unconfirmed = nfc(data.note).strip(), data.unconfirmed
    item.updated_at, item.updated_by_id = utcnow(), user_id
    _commit()
    return item


def delete(item: ReceptionSession | LegalDocument) -> None:
    db.session.delete(item)
    _commit()


def _commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
