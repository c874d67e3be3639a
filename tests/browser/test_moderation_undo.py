"""A moderator approves three comments in bulk, then takes it back from the banner; the
keyboard shortcuts press the buttons of a comment's one form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from newsportal.comments import services as comments
from newsportal.extensions import db
from newsportal.models import Article

from .conftest import NewContext
from .live_server import LiveServer

pytestmark = pytest.mark.browser

MARKER = "hoàn-tác-thử"  # one search word that finds this test's comments only


def _three_pending(live_server: LiveServer, marker: str = MARKER) -> None:
    policy = comments.Policy(secret="browser", min_seconds=0, rate_limit=None)
    with live_server.app.app_context():
        article = db.session.scalars(
            db.select(Article).where(Article.slug == live_server.slugs["article"])
        ).one()
        for n in range(3):
            comments.submit_comment(
                article,
                comments.CommentInput(
                    name=f"Người đọc {n}",
                    email=f"doc{n}@example.vn",
                    body=f"Ý kiến số {n} {marker} về bài viết",
                    ip="203.0.113.9",
                    form_age=timedelta(minutes=5),
                ),
                policy,
            )


def test_bulk_approval_is_undone_from_the_banner(
    new_context: NewContext, staff_state: Any, live_server: LiveServer, axe: Any, shot: Any
) -> None:
    _three_pending(live_server)
    moderator = new_context(storage_state=staff_state("moderator")).new_page()
    moderator.goto(f"/moderation/?q={MARKER}")
    items = moderator.locator(".queue-item")
    expect(items).to_have_count(3)
    for box in items.locator("input[name=ids]").all():
        box.check()
    moderator.select_option("#bulk-action", "approve")
    moderator.click("#bulk-form button[type=submit]")
    banner = moderator.locator("#undo-banner")
    expect(banner).to_contain_text("Đã duyệt 3 bình luận.")
    expect(moderator.locator(".queue-item")).to_have_count(0)
    shot(moderator, "approved-with-undo")
    violations = [v for v in axe(moderator)["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], v["help"]) for v in violations]

    banner.get_by_role("button", name="Hoàn tác").click()
    expect(moderator.locator(".flash-success")).to_contain_text("Đã hoàn tác: 3 bình luận")
    expect(moderator.locator("#undo-banner")).to_have_count(0)
    expect(moderator.locator(".queue-item")).to_have_count(3)
    shot(moderator, "undone")


def test_shortcuts_press_the_buttons_of_the_comments_one_form(
    new_context: NewContext, staff_state: Any, live_server: LiveServer
) -> None:
    marker = "phím-tắt-thử"
    _three_pending(live_server, marker)
    moderator = new_context(storage_state=staff_state("moderator")).new_page()
    moderator.goto(f"/moderation/?q={marker}")
    items = moderator.locator(".queue-item")
    expect(items).to_have_count(3)
    first = items.nth(0).get_attribute("id")
    moderator.keyboard.press("j")
    moderator.keyboard.press("r")  # a rejection asks for its reason: nothing is sent
    expect(moderator.locator(f"#{first} select[name=reason]")).to_be_focused()
    expect(items).to_have_count(3)
    moderator.locator(f"#{first}").focus()  # out of the reason list, where keys are its own
    moderator.keyboard.press("j")
    moderator.keyboard.press("s")  # spam needs no reason
    expect(moderator.locator(".queue-item")).to_have_count(2)
    expect(moderator.locator(f"#{first}")).to_have_count(1)  # the first one is still there
    # Without a shortcut: approving needs no reason either; rejecting with one sends it.
    moderator.locator(f"#{first}").get_by_role("button", name="Duyệt", exact=True).click()
    expect(moderator.locator(".queue-item")).to_have_count(1)
    last = moderator.locator(".queue-item").nth(0)
    last.locator("select[name=reason]").select_option("off-topic")
    last.get_by_role("button", name="Từ chối", exact=True).click()
    expect(moderator.locator(".queue-item")).to_have_count(0)
    expect(moderator.locator("#undo-banner")).to_contain_text("Đã từ chối 1 bình luận.")
