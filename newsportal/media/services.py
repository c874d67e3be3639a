"""Image uploads with Pillow. Nothing is written until the bytes have proved to be a JPEG, PNG
or WebP picture of a sane size that decodes completely; what is stored is re-encoded by us, so
EXIF (GPS included), comments and any trailing polyglot payload are gone.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from sqlalchemy import select

from ..extensions import db
from ..models import Image
from ..text import clean_line

FORMATS = {"JPEG": ("jpeg", "jpg"), "PNG": ("png", "png"), "WEBP": ("webp", "webp")}
WIDTHS = (400, 800, 1600)
LARGEST = 2400  # the biggest copy kept: sharp on any phone or laptop, a fraction of a raw photo
MIME = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class ImageError(ValueError):
    """An upload refused; `code` says why (too_large, not_image, format, too_many_pixels)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int


def _decode(data: bytes, limits: Limits) -> PILImage.Image:
    """Open, check and fully decode; any doubt is an ImageError."""
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit: a warning is a refusal here.
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                if probe.width * probe.height > limits.max_pixels:
                    raise ImageError("too_many_pixels")
                probe.verify()
            image = PILImage.open(io.BytesIO(data), formats=list(FORMATS))
            image.load()
        except ImageError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise ImageError("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise ImageError("not_image") from None
    if image.format not in FORMATS:
        raise ImageError("format")
    return image


def _clean(image: PILImage.Image) -> PILImage.Image:
    """Upright pixels and nothing else: no EXIF, XMP, comments or text chunks."""
    upright = ImageOps.exif_transpose(image) or image
    if image.format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    elif upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        upright = upright.convert("RGBA")
    clean = upright.copy()
    clean.info = {}
    return clean


def _encode(image: PILImage.Image, fmt: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        options.update(quality=85, optimize=True, progressive=True)
    elif fmt == "WEBP":
        options.update(quality=85, method=4)
    else:
        options.update(optimize=True)
    image.save(out, fmt, **options)
    return out.getvalue()


def _write(folder: Path, name: str, data: bytes) -> None:
    target = folder / name
    if target.exists():
        return  # same name, same bytes
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temp, target)  # readers never see half a file


def _copies(image: PILImage.Image, fmt: str, icc: bytes | None) -> list[tuple[int, int, bytes]]:
    """(width, height, bytes) at 400/800/1600 and the full size (at most LARGEST), never larger
    than the original."""
    full_width = min(image.width, LARGEST)
    widths = sorted({w for w in WIDTHS if w < full_width} | {full_width})
    copies = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), 1)  # LANCZOS
        copies.append((width, height, _encode(resized, fmt, icc)))
    return copies


def store_image(
    data: bytes, filename: str, user_id: int | None, folder: Path, limits: Limits
) -> Image:
    """Check, clean and store an upload; the same picture twice gives the same Image."""
    if len(data) > limits.max_bytes:
        raise ImageError("too_large")
    decoded = _decode(data, limits)
    fmt = decoded.format or ""
    kind, ext = FORMATS[fmt]
    icc = decoded.info.get("icc_profile")
    clean = _clean(decoded)
    copies = [
        (f"{hashlib.sha256(encoded).hexdigest()}.{ext}", width, height, encoded)
        for width, height, encoded in _copies(clean, fmt, icc)
    ]
    key = copies[-1][0].split(".")[0]
    existing = db.session.scalar(select(Image).where(Image.key == key))
    if existing is not None:
        return existing
    for name, _width, _height, encoded in copies:
        _write(folder, name, encoded)
    variants = [{"name": n, "width": w, "height": h} for n, w, h, _bytes in copies]
    image = Image(
        key=key,
        format=kind,
        width=variants[-1]["width"],
        height=variants[-1]["height"],
        variants=variants,
        original_name=clean_line(filename)[:200],
        uploaded_by_id=user_id,
    )
    db.session.add(image)
    db.session.commit()
    return image
