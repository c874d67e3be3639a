"""Review before publishing in Chromium: a reporter submits, the editor sends it back with a
note, the reporter reads it and submits again, the editor approves and publishes. Under the
strict CSP, with no console error; axe on the new screens (the list waiting for review, the
review page with a refused answer, the reporter's article with the editor's note)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import NewContext, save_json
from .test_accessibility import BLOCKING
from .test_editor_flow import VISUAL

pytestmark = pytest.mark.browser

TITLE = "Xã Tân Thuận hoàn thành đường giao thông nông thôn"
NOTE = "Bổ sung chiều dài tuyến đường và tổng kinh phí."


def test_reporter_submits_editor_sends_back_then_publishes(
    new_context: NewContext, staff_state: Any, axe: Any, shot: Any
) -> None:
    def accessible(page: Any, name: str) -> None:
        violations = axe(page)["violations"]
        save_json(f"axe-{name}.json", violations)
        blocking = [
            f"{v['impact']}: {v['id']} ({v['help']})" for v in violations if v["impact"] in BLOCKING
        ]
        assert not blocking, f"{name}: " + "; ".join(blocking)

    reporter = new_context(storage_state=staff_state("reporter")).new_page()
    reporter.goto("/editor/articles/new")
    reporter.fill("#title", TITLE)
    reporter.fill("#lead", "Tuyến đường mới nối ấp Tân Lợi với trung tâm xã.")
    reporter.fill("#byline", "Ngọc Lan")
    # Reporters write in the same visual editor as editors (tests/browser/test_editor_flow.py).
    reporter.click(VISUAL)
    reporter.keyboard.type("Sáng nay, xã ")
    reporter.keyboard.press("Control+b")
    reporter.keyboard.type("Tân Thuận")
    reporter.keyboard.press("Control+b")
    reporter.keyboard.type(" khánh thành tuyến đường mới.")
    expect(reporter.locator("#body")).to_have_value(re.compile(r"\*\*Tân Thuận\*\*"))
    reporter.click("button[name=action][value=submit]")
    expect(reporter.locator(".flash-success")).to_be_visible()
    expect(reporter.locator(".review-status .badge-review")).to_have_text("Chờ duyệt")
    expect(reporter.locator("button[name=action][value=publish]")).to_have_count(0)
    article_url = reporter.url
    shot(reporter, "submitted")

    editor = new_context(storage_state=staff_state("editor")).new_page()
    editor.goto("/editor/")
    editor.locator(".desk-tabs").get_by_role("link", name="Chờ duyệt").click()
    accessible(editor, "review-queue")
    editor.get_by_role("link", name=TITLE).click()
    expect(editor.locator(".review-changes ins").first).to_contain_text(TITLE)
    shot(editor, "review")
    editor.click(".review-send-back button[type=submit]")  # no note: refused, said why
    expect(editor.locator("#note-error")).to_be_visible()
    accessible(editor, "review-page-refused")
    editor.fill("#note", NOTE)
    editor.click(".review-send-back button[type=submit]")
    expect(editor.locator(".flash-success")).to_be_visible()

    reporter.goto("/editor/")
    expect(reporter.locator(".review-note")).to_contain_text(NOTE)
    reporter.goto(article_url)
    expect(reporter.locator(".review-returned .review-note")).to_contain_text(NOTE)
    accessible(reporter, "review-reporter-returned")
    shot(reporter, "sent-back")
    reporter.click(VISUAL)
    reporter.keyboard.press("Control+End")
    reporter.keyboard.type(" Tuyến đường dài 2,4 km.")
    expect(reporter.locator("#body")).to_have_value(re.compile("2,4 km"))
    reporter.click("button[name=action][value=submit]")
    expect(reporter.locator(".review-status .badge-review")).to_be_visible()

    editor.goto("/editor/review")
    editor.get_by_role("link", name=TITLE).click()
    expect(editor.locator(".review-changes ins").filter(has_text="2,4 km")).to_have_count(1)
    editor.click(".review-approve button[type=submit]")
    expect(editor.locator(".badge-published")).to_be_visible()
    shot(editor, "published")

    reader = new_context().new_page()
    reader.goto("/")
    reader.get_by_role("link", name=TITLE).first.click()
    expect(reader.locator("main h1")).to_have_text(TITLE)
    expect(reader.locator("main")).to_contain_text("2,4 km")
