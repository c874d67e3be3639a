"""Uploaded images. The files are content-addressed (sha256 of the stored bytes): a name never
points at different bytes, so they are cached for a year."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import utcnow
from .public import PrivateContent
from .types import UTCDateTime


class Image(PrivateContent, db.Model):  # type: ignore[name-defined]
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the largest stored copy: the same picture uploaded twice is one image.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(10))  # jpeg | png | webp
    width: Mapped[int]
    height: Mapped[int]
    # [{"name": "<sha256>.jpg", "width": 400, "height": 300}, ...], narrowest first, the
    # largest copy last.
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def largest(self) -> dict[str, Any]:
        return self.variants[-1]

    def fitting(self, width: int) -> dict[str, Any]:
        """The narrowest copy at least `width` pixels wide (or the largest there is)."""
        return next((v for v in self.variants if v["width"] >= width), self.largest)

    def __repr__(self) -> str:
        return f"<Image {self.key[:12]} {self.width}x{self.height}>"
