"""Uploaded PDFs of published results: checked, stored by content hash, never executed.

A file is accepted only when it is a PDF, whatever its name or the browser's claim: the header
within the first KiB (as readers allow), an end-of-file marker near the end, and a structure
pypdf can read (cross-reference table, trailer, catalogue, a page tree with at least one page),
so HTML dressed with `%PDF-` and `%%EOF` comments is refused. One a citizen cannot open without
a password is refused too; restrictions on printing or copying alone are fine.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from typing import TYPE_CHECKING

from ..errors import FieldError
from ..storage import Storage

# pypdf (and the cryptography it brings) is some 17 MB: imported by the functions that parse an
# upload, not by every worker that serves a stored PDF (key, here).
if TYPE_CHECKING:
    from pypdf.generic import DictionaryObject

_SHA = re.compile(r"^[0-9a-f]{64}$")


def check(data: bytes, max_bytes: int) -> str:
    """The sha256 of an acceptable PDF, or FieldError("pdf", ...)."""
    if len(data) > max_bytes:
        raise FieldError("pdf", "too_large")
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise FieldError("pdf", "not_pdf")
    _check_structure(data)
    return hashlib.sha256(data).hexdigest()


def _check_structure(data: bytes) -> None:
    """Parse as much as proves a PDF, and no more: the trailer, the catalogue and the top of the
    page tree, not every page and no text (a hostile file makes a full walk slow)."""
    from pypdf import PasswordType, PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns on what readers repair: not a refusal
            # Not strict: office scanners write slightly wrong offsets that every reader repairs.
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise FieldError("pdf", "encrypted_pdf")
            pages = _dictionary(_dictionary(reader.trailer["/Root"])["/Pages"])
            count, kids = pages["/Count"], pages["/Kids"]
            first = None
            if isinstance(count, int) and count > 0 and isinstance(kids, ArrayObject) and kids:
                first = kids[0].get_object()
    except FieldError:
        raise
    except Exception:  # a parser fed hostile bytes can raise anything: every failure refuses
        raise FieldError("pdf", "not_pdf") from None
    if not isinstance(first, DictionaryObject) or first.get("/Type") not in ("/Page", "/Pages"):
        raise FieldError("pdf", "not_pdf")


def _dictionary(value: object) -> DictionaryObject:
    from pypdf.generic import DictionaryObject

    if not isinstance(value, DictionaryObject):
        raise FieldError("pdf", "not_pdf")
    return value


def key(sha: str) -> str | None:
    """Where a result's PDF is stored ("documents/<sha256>.pdf", under UPLOAD_FOLDER on the local
    backend), or None for anything that is not a hash."""
    return f"documents/{sha}.pdf" if _SHA.fullmatch(sha) else None


def store(files: Storage, sha: str, data: bytes) -> None:
    files.put(f"documents/{sha}.pdf", data)


def remove(files: Storage, sha: str) -> None:
    name = key(sha)
    if name is not None:
        files.delete(name)
