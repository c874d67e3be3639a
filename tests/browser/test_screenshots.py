"""The README's pictures: home, an article, the complaints section and the moderation desk, at
desktop and phone width, on the demo content. `make screenshots` runs this module; elsewhere it
skips, so `make test` spends no time writing pictures.

NEWSPORTAL_SCREENSHOTS names the folder (docs/screenshots for the README). One viewport per
picture, not the full page: a phone's full page is many screens tall and weighs megabytes.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from newsportal.comments import services as comments
from newsportal.extensions import db
from newsportal.models import Article, Comment, CommentStatus

from .conftest import NewContext
from .live_server import LiveServer

FOLDER = os.environ.get("NEWSPORTAL_SCREENSHOTS", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not FOLDER, reason="README pictures: NEWSPORTAL_SCREENSHOTS is not set"),
]

WIDTHS = {"desktop": (1366, 900), "phone": (375, 812)}
# The demo's rice-harvest article: it has a picture, a lead and an answered comment.
ARTICLE = "vu-lua-thu-dong-nang-suat-binh-quan-dat-hon-5-7-tan-ha"
MAX_BYTES = 400_000
PENDING_WANTED = 4  # the desk looks like a working day's queue, not an empty list
EXTRA_PENDING = [
    ("Huỳnh Thị Mai", "Đường vào ấp 3 xã Mỹ An ngập sau mưa, mong xã sớm nâng cấp."),
    ("Đặng Quốc Bảo", "Cho hỏi thủ tục đăng ký hộ kinh doanh trực tuyến mất bao lâu?"),
    ("Ngô Thanh Tùng", "Bài viết rất hữu ích, cảm ơn Ban Biên tập."),
    ("Lý Kim Ngân", "Xin hỏi lịch tiêm chủng mở rộng tháng tới ở phường Sa Đéc."),
]


def _article_slug(live_server: LiveServer) -> str:
    """The rice article while the demo has it, else the newest: the demo changes over time."""
    with live_server.app.app_context():
        found = db.session.scalar(db.select(Article.id).where(Article.slug == ARTICLE))
    return ARTICLE if found else live_server.slugs["article"]


def _top_up_pending(live_server: LiveServer) -> None:
    """Submitted as readers would (the demo's own few may be fewer than a full-looking queue)."""
    policy = comments.Policy(secret="screenshots", min_seconds=0, rate_limit=None)
    with live_server.app.app_context():
        pending = db.session.scalar(
            db.select(db.func.count(Comment.id)).where(Comment.status == CommentStatus.PENDING)
        )
        article = db.session.scalars(
            db.select(Article).where(Article.slug == _article_slug(live_server))
        ).one()
        for n, (name, body) in enumerate(EXTRA_PENDING[: max(0, PENDING_WANTED - pending)]):
            comments.submit_comment(
                article,
                comments.CommentInput(
                    name=name,
                    email=f"doc-gia-{n}@example.vn",
                    body=body,
                    ip="203.0.113.20",
                    form_age=timedelta(minutes=5),
                ),
                policy,
            )


def _settle(page: Any) -> None:
    """Pictures and fonts in before the capture, or the PNG shows a half-drawn page."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


def _capture(page: Any, name: str, width: str) -> None:
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{width}.png"
    # Catalogues left uncompiled give an English site with no error: not the portal's face.
    expect(page.locator("body > header")).to_contain_text("Trang chủ")
    _settle(page)
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.size == WIDTHS[width], picture.size
    assert path.stat().st_size < MAX_BYTES, f"{path}: {path.stat().st_size} bytes"
    print(f"picture: {path}")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_reader_pages(new_context: NewContext, live_server: LiveServer, width: str) -> None:
    w, h = WIDTHS[width]
    page = new_context(viewport={"width": w, "height": h}, color_scheme="light").new_page()
    page.goto("/")
    expect(page.locator("main h2 a[href^='/articles/']").first).to_be_visible()
    _capture(page, "home", width)

    page.goto(f"/articles/{_article_slug(live_server)}")
    expect(page.locator("main h1")).to_be_visible()
    _capture(page, "article", width)

    page.goto("/pages/khieu-nai-to-cao")
    expect(page.locator("main h1")).to_be_visible()
    _capture(page, "complaints", width)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_moderation_desk(
    new_context: NewContext, staff_state: Any, live_server: LiveServer, width: str
) -> None:
    _top_up_pending(live_server)
    w, h = WIDTHS[width]
    page = new_context(
        viewport={"width": w, "height": h},
        color_scheme="light",
        storage_state=staff_state("moderator"),
    ).new_page()
    page.goto("/moderation/")
    expect(page.locator(".queue-item").first).to_be_visible()
    _capture(page, "moderation", width)
