"""What a citizen does in a real browser: read, comment, get moderated, find the complaints page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import NewContext, sign_in
from .live_server import LiveServer

pytestmark = pytest.mark.browser

SENT = "Bình luận của bạn đã được gửi và đang chờ duyệt."
COMPLAINTS = "/pages/khieu-nai-to-cao"


def open_first_article(page: Any) -> None:
    page.goto("/")
    page.locator("main .top-story h2 a").click()
    expect(page).to_have_url(re.compile(r"/articles/"))


def fill_comment(page: Any, name: str, email: str, body: str) -> None:
    # The shared page holds the article's form token; comment-token.js swaps in the reader's own.
    expect(page.locator(".comment-form input[name=csrf_token]")).not_to_have_value("")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#body", body)
    page.check("#consent")


def test_comment_waits_for_a_moderator_then_appears_for_readers(
    new_context: NewContext, shot: Any
) -> None:
    text = "Bà con ấp Tân Hòa cảm ơn bài viết về mùa lúa thu đông năm nay."
    reader = new_context().new_page()
    reader.goto("/")
    shot(reader, "home")
    open_first_article(reader)
    article_url = reader.url
    shot(reader, "article")
    fill_comment(reader, "Nguyễn Văn Thành", "thanh@example.vn", text)
    shot(reader, "comment-typed")
    reader.click(".comment-form button[type=submit]")
    expect(reader.locator(".flashes")).to_contain_text(SENT)
    own = reader.locator(".comment-pending", has_text=text)
    expect(own).to_be_visible()
    shot(reader, "awaiting-moderation")

    moderator = new_context().new_page()
    sign_in(moderator, "moderator")
    moderator.goto("/moderation/")
    item = moderator.locator(".queue-item", has_text=text)
    shot(moderator, "moderation-queue")
    item.get_by_role("button", name="Duyệt", exact=True).click()
    expect(moderator.locator(".queue-item", has_text=text)).to_have_count(0)
    shot(moderator, "approved")

    other = new_context().new_page()
    other.goto(article_url)
    published = other.locator(".comment-list .comment", has_text=text)
    expect(published).to_be_visible()
    expect(published).not_to_have_class(re.compile("comment-pending"))
    shot(other, "comment-public")


def test_without_javascript_the_first_send_is_accepted(new_context: NewContext) -> None:
    text = "Gửi từ trình duyệt tắt JavaScript, một lần là được."
    reader = new_context(java_script_enabled=False).new_page()
    open_first_article(reader)
    reader.fill("#name", "Lê Thị Hoa")
    reader.fill("#email", "hoa@example.vn")
    reader.fill("#body", text)
    reader.check("#consent")
    reader.click(".comment-form button[type=submit]")
    expect(reader.locator(".flashes")).to_contain_text(SENT)
    expect(reader.locator(".comment-pending", has_text=text)).to_be_visible()


def test_complaints_section_is_one_click_from_an_article(page: Any, shot: Any) -> None:
    open_first_article(page)
    page.locator(f".main-nav a[href='{COMPLAINTS}']").click()
    expect(page).to_have_url(re.compile(re.escape(COMPLAINTS) + "$"))
    expect(page.locator("main h1")).to_be_visible()
    shot(page, "complaints-section")


def test_a_form_error_keeps_everything_typed(page: Any, live_server: LiveServer, shot: Any) -> None:
    body = "Đường vào xã Mỹ Hiệp mùa nước nổi rất khó đi, mong tỉnh quan tâm.\nXin cảm ơn."
    page.goto(f"/articles/{live_server.slugs['article']}")
    fill_comment(page, "Trần Thị Mai", "mai-at-example.vn", body)
    page.click(".comment-form button[type=submit]")
    email = page.locator("#email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Trần Thị Mai")
    expect(email).to_have_value("mai-at-example.vn")
    expect(page.locator("#body")).to_have_value(body)
    expect(page.locator("#consent")).to_be_checked()
    shot(page, "error-keeps-text")

    email.fill("mai@example.vn")
    page.click(".comment-form button[type=submit]")
    expect(page.locator(".flashes")).to_contain_text(SENT)
    shot(page, "sent-after-fix")


def focused(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
                 const el = document.activeElement, style = getComputedStyle(el);
                 const box = el.getBoundingClientRect();
                 return {id: el.id, cls: el.className, tag: el.tagName.toLowerCase(),
                         type: el.type || "", outline: style.outlineStyle,
                         visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0};
               }"""
        )
    )


def tab_to(page: Any, wanted: Any, limit: int = 150) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the element; last focus: {now}")


def test_keyboard_alone_reaches_and_sends_the_comment_form(
    page: Any, live_server: LiveServer, shot: Any
) -> None:
    page.goto(f"/articles/{live_server.slugs['article']}")
    expect(page.locator(".comment-form input[name=csrf_token]")).not_to_have_value("")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert "skip-link" in skip["cls"], skip
    assert skip["visible"], "the focused skip link is off screen"
    assert skip["outline"] != "none", "the skip link shows no focus ring"
    shot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    name = tab_to(page, lambda f: f["id"] == "name")
    assert name["outline"] != "none", "the name field shows no focus ring"
    page.keyboard.type("Lê Hoàng Phúc")
    page.keyboard.press("Tab")
    page.keyboard.type("phuc@example.vn")
    page.keyboard.press("Tab")
    page.keyboard.type("Tôi chỉ dùng bàn phím mà vẫn gửi được ý kiến.")
    tab_to(page, lambda f: f["id"] == "consent", limit=5)
    page.keyboard.press("Space")
    button = tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit", limit=5)
    assert button["outline"] != "none", "the send button shows no focus ring"
    shot(page, "keyboard-ready-to-send")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(SENT)
    shot(page, "keyboard-sent")


def test_english_switch_from_the_header_and_by_query(
    new_context: NewContext, live_server: LiveServer, shot: Any
) -> None:
    page = new_context().new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator(".lang-switch a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".main-nav")).to_contain_text("Home")
    shot(page, "english-home")
    page.goto(f"/articles/{live_server.slugs['article']}")  # the choice stays for the session
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#comment-form-heading")).to_have_text("Add a comment")
    shot(page, "english-article")
    page.locator(".lang-switch a[hreflang=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    fresh = new_context().new_page()
    fresh.goto(f"/categories/{live_server.slugs['category']}?lang=en")
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".main-nav")).to_contain_text("Home")
    shot(fresh, "english-by-query")


def _body_size(page: Any) -> float:
    size = "parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)"
    return float(page.evaluate(size))


def test_text_size_is_kept_in_this_browser_and_never_in_a_cookie(
    new_context: NewContext, live_server: LiveServer
) -> None:
    article = f"/articles/{live_server.slugs['article']}"
    bare = new_context(java_script_enabled=False).new_page()
    bare.goto(article)
    expect(bare.locator(".text-size")).to_be_hidden()  # buttons that could do nothing
    context = new_context()
    page = context.new_page()
    page.goto(article)
    normal = _body_size(page)
    bigger = page.locator(".text-size button[data-text-step='1']")
    bigger.click()
    bigger.click()
    expect(bigger).to_be_disabled()  # the largest size
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("data-text-size", "2")
    page.goto(article)
    assert _body_size(page) > normal * 1.3
    assert page.evaluate("localStorage.getItem('text-size')") == "2"
    assert not [c for c in context.cookies() if "size" in c["name"]]  # pages stay shared
    page.locator(".text-size button[data-text-step='0']").click()
    expect(page.locator("html")).not_to_have_attribute("data-text-size", re.compile("."))
    assert _body_size(page) == normal
