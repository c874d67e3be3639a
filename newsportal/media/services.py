"""Image uploads with Pillow. Nothing is written until the bytes have proved to be a JPEG, PNG
or WebP picture of a sane size that decodes completely; what is stored is re-encoded by us, so
EXIF (GPS included), comments and any trailing polyglot payload are gone.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..errors import FieldError
from ..extensions import db
from ..models import Image
from ..storage import Storage
from ..text import clean_line

# Pillow is imported by the functions that decode: every worker serves /uploads/ (MIME, here),
# only an editor's upload needs the library.
if TYPE_CHECKING:
    from PIL import Image as PILImage

FORMATS = {"JPEG": ("jpeg", "jpg"), "PNG": ("png", "png"), "WEBP": ("webp", "webp")}
WIDTHS = (400, 800, 1600)
LARGEST = 2400  # the biggest copy kept: sharp on any phone or laptop, a fraction of a raw photo
MIME = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int  # any picture, as its header states it
    max_decoded: int = 16_000_000  # what is ever decoded at once: the memory bound


SCALES = (1, 2, 4, 8)  # what a JPEG decoder can reduce to while decoding
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def _check_size(probe: PILImage.Image, limits: Limits) -> None:
    """Refuse on the header alone, before a pixel is decoded. Only a JPEG can be decoded at a
    reduced scale (Pillow's draft mode): a PNG or WebP is decoded whole, so it gets the tighter
    cap; each frame of an animated one is decoded in turn, never all at once."""
    pixels = probe.width * probe.height
    if pixels > limits.max_pixels:
        raise FieldError("file", "too_many_pixels")
    if probe.format != "JPEG" and pixels > limits.max_decoded:
        raise FieldError("file", "too_many_pixels_lossless")


def _draft(image: PILImage.Image, limits: Limits) -> None:
    """Decode a big JPEG at 1/2, 1/4 or 1/8: as small as keeps the full-size copy LARGEST wide,
    smaller still when that would not fit in `max_decoded`."""
    from PIL import ExifTags

    width, height = image.size
    upright_width = height if image.getexif().get(ExifTags.Base.Orientation) in TURNED else width
    keeps_quality = max(s for s in SCALES if upright_width // s >= LARGEST or s == 1)
    fits = min(
        (s for s in SCALES if -(-width // s) * -(-height // s) <= limits.max_decoded),
        default=SCALES[-1],
    )
    scale = max(keeps_quality, fits)
    if scale > 1:
        image.draft(image.mode, (max(1, width // scale), max(1, height // scale)))


def _decode(data: bytes, limits: Limits) -> tuple[PILImage.Image, str]:
    """Open, check and fully decode: the pixels and the format; any doubt refuses the file."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit: a warning is a refusal here.
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                _check_size(probe, limits)
                probe.verify()
            image = PILImage.open(io.BytesIO(data), formats=list(FORMATS))
            if image.format == "JPEG":
                _draft(image, limits)
            if image.width * image.height > limits.max_decoded:
                raise FieldError("file", "too_many_pixels")
            image.load()
            pixels = image.copy()  # without the decoder: WebP's keeps its frame twice more
            image.close()
        except FieldError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise FieldError("file", "too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise FieldError("file", "not_image") from None
    if image.format not in FORMATS:
        raise FieldError("file", "format")
    return pixels, image.format


def _clean(image: PILImage.Image, fmt: str) -> PILImage.Image:
    """Upright pixels and nothing else: no EXIF, XMP, comments or text chunks. In place where
    Pillow can: each copy of a 16-megapixel picture is 64 MB more."""
    from PIL import ImageOps

    ImageOps.exif_transpose(image, in_place=True)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    image.info = {}
    return image


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


def encode_upload(data: bytes, limits: Limits) -> tuple[str, str, list[tuple[int, int, bytes]]]:
    """The format's name and extension and the encoded copies of an upload; FieldError("file")
    with a code (too_large, not_image, format, too_many_pixels, too_many_pixels_lossless)."""
    if len(data) > limits.max_bytes:
        raise FieldError("file", "too_large")
    pixels, fmt = _decode(data, limits)
    icc = pixels.info.get("icc_profile")
    pixels = _clean(pixels, fmt)  # the only full-size picture held from here on
    kind, ext = FORMATS[fmt]
    return kind, ext, _copies(pixels, fmt, icc)


def store_image(
    data: bytes, filename: str, user_id: int | None, files: Storage, limits: Limits
) -> Image:
    """Check, clean and store an upload; the same picture twice gives the same Image. The copies
    are stored under their names ("<sha256>.<ext>") in `files`."""
    kind, ext, encoded_copies = encode_upload(data, limits)
    copies = [
        (f"{hashlib.sha256(encoded).hexdigest()}.{ext}", width, height, encoded)
        for width, height, encoded in encoded_copies
    ]
    key = copies[-1][0].split(".")[0]
    existing = db.session.scalar(select(Image).where(Image.key == key))
    if existing is not None:
        return existing
    for name, _width, _height, encoded in copies:
        files.put(name, encoded)
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
