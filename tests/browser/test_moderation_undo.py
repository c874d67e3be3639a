"""A moderator approves three comments in bulk, then takes it back from the banner."""

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


def _three_pending(live_server: LiveServer) -> None:
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
                    body=f"Ý kiến số {n} {MARKER} về bài viết",
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
