"""What the storage tests share: uploads through the real desk forms, and a response's headers
stripped of what differs from one request to the next."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from newsportal.media.demo import rice_field
from newsportal.models import Image, PublishedResult
from newsportal.pages.demo import sample_pdf

PICTURE = rice_field(900, 600)  # three copies: 400, 800 and the full 900 px wide
PDF = sample_pdf("12/KL-TTR - SAMPLE")
PDF_SHA = hashlib.sha256(PDF).hexdigest()
RESULT_FORM = {
    "title": "Kết luận nội dung tố cáo đối với ông X",
    "document_number": "12/KL-TTr",
    "issued_on": "2026-10-01",
    "kind": "denunciation",
    "summary": "Tố cáo đúng một phần.",
    "url": "",
}
PER_REQUEST = {"Date"}  # the only header that may differ between two answers


def picture_form() -> dict[str, Any]:
    return {"file": (io.BytesIO(PICTURE), "canh-dong.jpg")}


def result_form() -> dict[str, Any]:
    return {**RESULT_FORM, "pdf": (io.BytesIO(PDF), "ket-luan.pdf")}


def upload_both(client: Any) -> None:
    """An editor's picture and result PDF, sent through the desk's forms."""
    page = client.post("/editor/images/", data=picture_form(), content_type="multipart/form-data")
    assert page.status_code == 302
    saved = client.post("/editor/section/results/new", data=result_form(),
                        content_type="multipart/form-data")  # fmt: skip
    assert saved.status_code == 302


def stored_urls(engine: Engine) -> list[str]:
    """Where readers fetch every stored picture copy and result PDF, from the rows."""
    with engine.connect() as connection:
        variants = connection.scalars(select(Image.variants)).all()
        shas = connection.scalars(select(PublishedResult.file_sha256)).all()
    pictures = [f"/uploads/{copy['name']}" for copies in variants for copy in copies]
    return sorted(pictures) + [f"/documents/{sha}.pdf" for sha in shas if sha]


def answers(client: Any, url: str) -> list[tuple[int, dict[str, str], bytes]]:
    """A plain GET, a revalidation with the ETag, and a Range request, as a reader sends them."""
    full = client.get(url)
    etag = full.headers["ETag"]
    found = [full, client.get(url, headers={"If-None-Match": etag}),
             client.get(url, headers={"Range": "bytes=100-1099"})]  # fmt: skip
    result = []
    for response in found:
        headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
        result.append((response.status_code, headers, response.get_data()))
        response.close()
    return result
