"""An editor writes, previews and publishes an article, and readers find it on the home page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import NewContext

pytestmark = pytest.mark.browser


def test_editor_writes_previews_and_publishes(
    new_context: NewContext, staff_state: Any, shot: Any
) -> None:
    title = "Khánh thành cầu nông thôn ở xã Phong Mỹ"
    editor = new_context(storage_state=staff_state("editor")).new_page()
    editor.goto("/editor/")
    shot(editor, "editor-desk")
    editor.goto("/editor/articles/new")
    editor.fill("#title", title)
    editor.fill("#lead", "Cây cầu mới giúp học sinh đến trường an toàn hơn.")
    editor.fill("#body", "Sáng nay, **cầu Phong Mỹ** được khánh thành.\n\n- Dài 60 m\n- Rộng 3,5 m")
    editor.fill("#byline", "Minh Hằng")
    # The live preview (editor.js) and the Preview button show the same sanitised HTML.
    expect(editor.locator("#preview strong")).to_have_text("cầu Phong Mỹ")
    editor.click("button[name=action][value=preview]")
    expect(editor.locator("#preview li")).to_have_count(2)
    expect(editor.locator("#title")).to_have_value(title)
    shot(editor, "previewed")
    editor.click("button[name=action][value=publish]")
    expect(editor.locator(".flash-success")).to_be_visible()
    expect(editor.locator(".badge-published")).to_be_visible()
    shot(editor, "published")

    reader = new_context().new_page()
    reader.goto("/")
    reader.get_by_role("link", name=title).first.click()
    expect(reader.locator("main h1")).to_have_text(title)
    shot(reader, "on-the-site")
