"""Published results never identify a complainant, nor name someone an unfounded denunciation
accused: the service refuses such a title or summary, and the desk's form says why."""

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from newsportal.errors import FieldError
from newsportal.pages import pdfs, records, sample_pdfs

from .page_helpers import make_result, results, soup

COMPLAINT = "Quyết định giải quyết khiếu nại (lần đầu) của bà N.T.H. (tỉnh Đồng Tháp)"
FOUNDED = "Tố cáo đúng một phần; kiến nghị xem xét xử lý kỷ luật."
UNFOUNDED = "Tố cáo không đúng; việc xét duyệt hồ sơ được thực hiện đúng quy định."


@pytest.mark.parametrize(
    ("kind", "title", "summary", "field", "code"),
    [
        (
            "complaint",
            "Quyết định giải quyết khiếu nại của ông N.V.A, xã Mỹ An",
            "",
            "title",
            "initials_place",
        ),
        (
            "complaint",
            "Quyết định giải quyết khiếu nại của bà N.T.H. phường Cao Lãnh",
            "",
            "title",
            "initials_place",
        ),
        (
            "complaint",
            "Quyết định giải quyết khiếu nại của ông H.M.Đ. (ấp 4)",
            "",
            "title",
            "initials_place",
        ),
        (
            "complaint",
            COMPLAINT,
            "Người khiếu nại T.T.K., trú tại xã Tháp Mười.",
            "summary",
            "initials_place",
        ),
        (
            "complaint",
            "Quyết định giải quyết khiếu nại của ông Nguyễn Văn An",
            "",
            "title",
            "complainant_named",
        ),
        (
            "complaint",
            COMPLAINT,
            "Bà Lê Thị Hoa được bồi thường thêm.",
            "summary",
            "complainant_named",
        ),
        ("complaint", COMPLAINT, "Liên hệ 0912 345 678 để nhận lại hồ sơ.", "summary", "phone"),
        ("complaint", COMPLAINT, "Liên hệ +84 277 3851 234.", "summary", "phone"),
        ("complaint", COMPLAINT, "CCCD số 087123456789.", "summary", "id_number"),
        (
            "denunciation",
            "Kết luận nội dung tố cáo đối với bà Lê Thị Y",
            UNFOUNDED,
            "title",
            "unfounded_named",
        ),
        (
            "denunciation",
            "Kết luận nội dung tố cáo đối với ông Trần Văn X",
            "Tố cáo sai sự thật.",
            "title",
            "unfounded_named",
        ),
        (
            "denunciation",
            "Kết luận nội dung tố cáo đối với một công chức",
            "Tố cáo đúng; 0912345678",
            "summary",
            "phone",
        ),
    ],
)
def test_results_that_would_identify_someone_are_refused(app, kind, title, summary, field, code):
    with pytest.raises(FieldError) as refused:
        make_result(app, "1/QĐ-UBND", date(2026, 5, 4), kind=kind, title=title, summary=summary)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert results(app) == []


@pytest.mark.parametrize(
    ("kind", "title", "summary"),
    [
        ("complaint", COMPLAINT, "Công nhận một phần nội dung khiếu nại."),
        ("complaint", "Quyết định giải quyết khiếu nại của ông L.V.T.", "Giữ nguyên quyết định."),
        ("complaint", COMPLAINT, "Yêu cầu ông Chủ tịch UBND xã tính lại diện tích đất vườn."),
        ("complaint", COMPLAINT, "Hủy Quyết định số 1042/QĐ-UBND ngày 26/09/2025 của UBND xã."),
        (
            "denunciation",
            "Kết luận nội dung tố cáo đối với ông Trần Văn X, công chức xã Y",
            FOUNDED,
        ),
        (
            "denunciation",
            "Kết luận nội dung tố cáo đối với một viên chức trường tiểu học",
            UNFOUNDED,
        ),
        ("denunciation", "Kết luận nội dung tố cáo đối với Công ty TNHH Mẫu A", "Tố cáo đúng."),
    ],
)
def test_results_that_identify_no_one_are_saved(app, kind, title, summary):
    make_result(app, "2/QĐ-UBND", date(2026, 5, 4), kind=kind, title=title, summary=summary)
    (saved,) = results(app)
    assert (saved.title, saved.summary) == (title, summary)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "title",
            "Quyết định giải quyết khiếu nại của ông N.V.A, xã Mỹ An",
            "nhiều nhất là tên tỉnh",
        ),
        ("summary", "Bà Lê Thị Hoa được bồi thường thêm.", "không ghi họ tên đầy đủ"),
        ("summary", "CCCD số 087123456789.", "Xóa số căn cước"),
    ],
)
def test_the_form_explains_and_keeps_what_was_typed(app, auth, client, field, typed, message):
    auth.as_role("editor")
    form = {
        "title": COMPLAINT,
        "document_number": "3/QĐ-UBND",
        "issued_on": "2026-10-01",
        "kind": "complaint",
        "summary": "Công nhận nội dung khiếu nại.",
        "url": "https://example.gov.vn/qd.pdf",
        field: typed,
    }
    page = soup(client.post("/editor/section/results/new", data=form))
    assert message in page.select_one(f"#{field}-error").text
    shown = page.select_one(f"#{field}")
    assert (shown.get("value") if shown.name == "input" else shown.text.strip()) == typed
    assert page.select_one("#document_number")["value"] == "3/QĐ-UBND"
    assert results(app) == []


def test_policy_is_stated_on_the_demo_results_page():
    page = Path(records.__file__).parent.parent / "demo_content/pages/06-cong-khai-ket-qua.md"
    text = page.read_text(encoding="utf-8")
    assert "chữ cái đầu" in text
    assert "tố cáo không đúng" in text
    assert "Thông tin mẫu - cần cơ quan xác nhận" in text


@pytest.mark.sqlite_only("builds a PDF in memory: no database involved")
def test_demo_sample_decision_is_a_vietnamese_pdf_marked_as_a_sample():
    data = sample_pdfs.sample_decision(
        "215/QĐ-UBND", "14/08/2025", COMPLAINT, "Công nhận một phần nội dung khiếu nại."
    )
    assert data is not None  # DejaVu Sans is installed wherever the project runs
    assert pdfs.check(data, 15 * 1024 * 1024)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Thông tin mẫu - cần cơ quan xác nhận" in unicodedata.normalize("NFC", text)
    assert "Số: 215/QĐ-UBND" in unicodedata.normalize("NFC", text)
    assert "ĐỒNG THÁP" in unicodedata.normalize("NFC", text)
