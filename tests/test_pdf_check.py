"""A result's PDF is checked by parsing it (pypdf), not by looking for `%PDF-` and `%%EOF`."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfWriter

from newsportal.errors import FieldError
from newsportal.pages import pdfs

from .page_helpers import results, sample_pdf
from .test_section import result_form, stored_pdfs

NOT_PDF = "Tệp này không phải PDF. Hãy tải văn bản lên dưới dạng tệp PDF."
LOCKED = "Tệp PDF này cần mật khẩu mới mở được. Hãy tải lên bản mở được mà không cần mật khẩu."


def written(user_password: str | None = None) -> bytes:
    """A one-page PDF as pypdf writes it; with a password only an owner (no user) needs, it
    opens for everyone but forbids editing, as many official documents do."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if user_password is not None:
        writer.encrypt(
            user_password=user_password, owner_password="chu-so-huu", algorithm="AES-256"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SAMPLE = sample_pdf("12/KL-TTR - SAMPLE")
NO_PAGES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"
)
REFUSED = {
    "html between the markers": b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF",
    "html page with marker comments": b"<!-- %PDF-1.7 -->\n<html><body onload=alert(1)>\n"
    b"<!-- %%EOF -->",
    "truncated, end marker added back": SAMPLE[: len(SAMPLE) // 2] + b"\n%%EOF\n",
    "no pages": NO_PAGES,
    "nested a hundred thousand deep": b"%PDF-1.4\n1 0 obj\n"
    + b"[" * 100_000
    + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF",
    "needs a password": written(user_password="mat-khau"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_does_not_parse_as_a_pdf_is_refused_and_nothing_is_stored(app, auth, client, name):
    auth.as_role("editor")
    response = client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(REFUSED[name]), "ket-luan.pdf")),
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.select_one("#title")["value"] == "Kết luận nội dung tố cáo đối với ông X"
    assert page.select_one("#pdf").get("aria-invalid") == "true"
    assert page.select_one("#pdf-error").get_text(strip=True) == (
        LOCKED if name == "needs a password" else NOT_PDF
    )
    assert results(app) == []
    assert stored_pdfs(app) == []


@pytest.mark.parametrize(
    "data", [SAMPLE, written(), written(user_password="")], ids=["ours", "pypdf", "owner-only"]
)
def test_real_pdfs_are_accepted(app, auth, client, data):
    auth.as_role("editor")
    response = client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(data), "ket-luan.pdf")),
    )
    assert response.status_code == 302
    (saved,) = results(app)
    assert stored_pdfs(app) == [f"{saved.file_sha256}.pdf"]


@pytest.mark.parametrize("name", list(REFUSED))
def test_the_check_itself_refuses_with_the_field_and_a_code(name):
    with pytest.raises(FieldError) as refused:
        pdfs.check(REFUSED[name], 1024 * 1024)
    assert refused.value.field == "pdf"
    assert refused.value.code == ("encrypted_pdf" if name == "needs a password" else "not_pdf")
