"""The demo's result PDFs: a one-page sample decision in Vietnamese, marked as a sample, so the
demo shows what a citizen opens. fpdf2 embeds the subset of a Unicode TrueType font it uses
(the PDF readers' built-in Helvetica has no ư, ơ, ạ ...); DejaVu Sans is the font Debian and
Ubuntu install with any desktop or fontconfig. Without it the PDF stays ASCII, still valid."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MARK = "Thông tin mẫu - cần cơ quan xác nhận"


# Embedding the font subset costs about a third of a second a PDF; the demo's dozen decisions
# are the same every time it is loaded, so a process makes each once.
@lru_cache(maxsize=32)
def sample_decision(number: str, issued: str, title: str, summary: str) -> bytes | None:
    """The PDF, or None when no Unicode font is installed (the caller falls back to ASCII)."""
    if not FONT.is_file():
        return None
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title} ({MARK})")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.cell(0, 6, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.cell(0, 6, "Độc lập - Tự do - Hạnh phúc", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(4)
    pdf.cell(0, 6, f"Số: {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Đồng Tháp, {issued}", new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 7, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, f"Kết quả: {summary}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(
        0,
        6,
        f"({MARK}.) Văn bản minh họa, không phải vụ việc có thật. Thông tin của người "
        "tố cáo không bao giờ được công khai; người khiếu nại chỉ được ghi tắt họ tên.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
