"""An editor writes in the visual editor, drops a picture into the body and describes it,
previews the whole article at phone width, publishes it, and readers find it; an article
opened and saved untouched keeps its body byte for byte."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from newsportal.articles import services
from newsportal.extensions import db
from newsportal.models import Article

from .conftest import NewContext
from .live_server import LiveServer
from .test_accessibility import BLOCKING

pytestmark = pytest.mark.browser

VISUAL = ".toastui-editor-ww-container .ProseMirror"
# Dropped the way a file from the desktop is: a DataTransfer holding a File.
DROP = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const file = new File([bytes], "cau-phong-my.png", {type: "image/png"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const target = document.querySelector(selector);
  const drop = new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true});
  target.dispatchEvent(drop);
}"""
# Spacing, list markers, emphasis and typos the visual editor would spell differently.
LEAD = "Cây cầu mới giúp học sinh đến trường an toàn hơn."
ALT = "Cầu Phong Mỹ nhìn từ bờ sông"
ODD_BODY = (
    "Sáng  nay,   UBND xã  đã họp.\n"
    "Dòng liền ngay sau.\n\n"
    "+ mục một\n"
    "+ mục hai\n\n"
    "__Đậm__ và _nghiêng_, lỗi chíng tả giữ nguyên.\n\n"
    "1) Thứ nhất\n"
    "2) Thứ hai\n\n"
    "Bảng:\n\n"
    "|a|b|\n"
    "|-|-|\n"
    "|1|2|"
)


def _png() -> str:
    out = io.BytesIO()
    PILImage.new("RGB", (640, 360), (30, 120, 90)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_editor_writes_drops_a_picture_previews_and_publishes(
    new_context: NewContext, staff_state: Any, shot: Any, axe: Any
) -> None:
    title = "Khánh thành cầu nông thôn ở xã Phong Mỹ"
    editor = new_context(storage_state=staff_state("editor")).new_page()
    editor.goto("/editor/articles/new")
    editor.fill("#title", title)
    editor.fill("#lead", LEAD)
    editor.fill("#byline", "Minh Hằng")
    expect(editor.locator("#body")).to_be_hidden()  # the visual editor writes into it
    editor.click(VISUAL)
    editor.keyboard.type("Sáng nay, ")
    editor.keyboard.press("Control+b")
    editor.keyboard.type("cầu Phong Mỹ")
    editor.keyboard.press("Control+b")
    editor.keyboard.type(" được khánh thành.")
    editor.keyboard.press("Enter")
    expect(editor.locator("#preview .body strong")).to_have_text("cầu Phong Mỹ")

    editor.evaluate(DROP, [VISUAL, _png()])
    dialog = editor.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(editor.locator("#picture-chosen img")).to_be_visible()  # uploaded, shown from /uploads
    dialog.get_by_role("button", name="Chèn ảnh vào bài").click()
    expect(editor.locator("#picture-alt-error")).to_be_visible()  # the description is required
    editor.fill("#picture-alt", ALT)
    shot(editor, "picture-described")
    blocking = [v["id"] for v in axe(editor)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking  # the dialog, open, with its error shown
    dialog.get_by_role("button", name="Chèn ảnh vào bài").click()
    expect(dialog).to_be_hidden()
    expect(editor.locator("#body")).to_have_value(
        re.compile(re.escape(f"![{ALT}](/uploads/") + r"[0-9a-f]{64}\.png\)")
    )

    # The whole article as readers will see it, at a phone's width too.
    preview = editor.locator("#preview")
    expect(preview.locator("h3")).to_have_text(title)
    expect(preview.locator(".lead")).to_have_text(LEAD)
    expect(preview.locator(".byline")).to_have_text("Minh Hằng")
    expect(preview.locator(".body img")).to_have_attribute("alt", ALT)
    editor.get_by_label("Khổ điện thoại (375 px)").check()
    box = preview.bounding_box()
    assert box is not None
    assert box["width"] <= 376
    shot(editor, "preview-phone")

    # The tab goes away before a save: the autosave is kept and offered back.
    editor.evaluate("window.dispatchEvent(new Event('pagehide'))")
    editor.wait_for_timeout(300)
    editor.goto("/editor/articles/new")
    offer = editor.get_by_role("link", name=re.compile("Khôi phục bản lưu tự động lúc"))
    expect(offer).to_be_visible()
    offer.click()
    expect(editor.locator("#title")).to_have_value(title)
    shot(editor, "autosave-restored")

    editor.click("button[name=action][value=publish]")
    expect(editor.locator(".flash-success")).to_be_visible()
    expect(editor.locator(".badge-published")).to_be_visible()
    expect(editor.locator(".autosave-offer:visible")).to_have_count(0)  # the save dropped it

    reader = new_context().new_page()
    reader.goto("/")
    reader.get_by_role("link", name=title).first.click()
    expect(reader.locator("main h1")).to_have_text(title)
    expect(reader.locator("main .body img")).to_have_attribute("alt", ALT)
    shot(reader, "on-the-site")


def test_an_article_saved_untouched_keeps_its_body_byte_for_byte(
    new_context: NewContext, staff_state: Any, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        data = services.ArticleData(
            title="Bài có khoảng trắng lạ", lead="", body_md=ODD_BODY, byline=""
        )
        article_id = services.save_article(None, data, None).id
    editor = new_context(storage_state=staff_state("editor")).new_page()
    editor.goto(f"/editor/articles/{article_id}")
    editor.click(VISUAL)  # into the text, moving about, switching modes: no edit
    editor.keyboard.press("ArrowDown")
    editor.get_by_text("Markdown", exact=True).click()
    editor.get_by_text("Soạn trực quan", exact=True).click()
    editor.click("button[name=action][value=save]")
    expect(editor.locator(".flash-success")).to_be_visible()
    with live_server.app.app_context():
        assert db.session.get(Article, article_id).body_md.encode() == ODD_BODY.encode()
