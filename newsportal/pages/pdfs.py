"""Uploaded PDFs of published results: checked, stored by content hash, never executed.

A file is accepted only when its bytes say PDF (the header within the first KiB, as readers
allow, and an end-of-file marker near the end), whatever its name or the browser's claim.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..revisions import FieldError

_SHA = re.compile(r"^[0-9a-f]{64}$")


def check(data: bytes, max_bytes: int) -> str:
    """The sha256 of an acceptable PDF, or FieldError("pdf", ...)."""
    if len(data) > max_bytes:
        raise FieldError("pdf", "too_large")
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise FieldError("pdf", "not_pdf")
    return hashlib.sha256(data).hexdigest()


def folder(uploads: Path) -> Path:
    return uploads / "documents"


def path_for(uploads: Path, sha: str) -> Path | None:
    """The stored file for a hash, or None for anything that is not a stored hash."""
    if not _SHA.match(sha):
        return None
    path = folder(uploads) / f"{sha}.pdf"
    return path if path.is_file() else None


def store(uploads: Path, sha: str, data: bytes) -> Path:
    target = folder(uploads)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{sha}.pdf"
    if not path.exists():
        # Write aside, then rename: a reader never gets half a file.
        handle, temp = tempfile.mkstemp(dir=target, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    return path


def remove(uploads: Path, sha: str) -> None:
    path = path_for(uploads, sha)
    if path is not None:
        path.unlink(missing_ok=True)
