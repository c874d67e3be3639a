"""A citizen's walk at desktop and phone width, light and dark: home → article → comment →
complaints section → reception schedule. Every page: no horizontal overflow, axe-core with no
violation at all (any impact), no console error or CSP report (the `problems` fixture)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import NewContext

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1366, 900), "phone": (375, 812)}
PHONE_HEADER_MAX = 120  # px: news must start on a phone's first screen
COMPLAINTS = "/pages/khieu-nai-to-cao"
SCHEDULE = "/pages/lich-tiep-cong-dan"
SENT = "đang chờ duyệt"

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let widest = null;
  for (const el of document.querySelectorAll("body *")) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && (!widest || right > widest.right)) {
      widest = {right, tag: el.tagName.toLowerCase(), cls: el.className.toString().slice(0, 60)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, widest};
}"""


def _check(page: Any, axe: Any, where: str) -> None:
    overflow = page.evaluate(OVERFLOW)
    assert overflow is None, f"{where}: wider than the screen: {overflow}"
    violations = axe(page)["violations"]
    found = [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
    ]
    assert not found, f"{where}:\n" + "\n".join(found)


def _header_height(page: Any) -> float:
    return float(page.locator("body > header").first.bounding_box()["height"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_walk_from_home_to_the_reception_schedule(
    new_context: NewContext, axe: Any, shot: Any, width: str, scheme: str
) -> None:
    w, h = WIDTHS[width]
    page = new_context(viewport={"width": w, "height": h}, color_scheme=scheme).new_page()
    page.goto("/")
    _check(page, axe, f"home {width} {scheme}")
    shot(page, f"home-{width}-{scheme}")
    page.locator("main h2 a[href^='/articles/']").first.click()
    expect(page.locator("main h1")).to_be_visible()
    _check(page, axe, f"article {width} {scheme}")
    if scheme == "light":  # one comment per width: sent with JavaScript, on the first try
        expect(page.locator(".comment-form input[name=csrf_token]")).not_to_have_value("")
        page.fill("#name", f"Trần Minh {width}")
        page.fill("#email", f"minh-{width}@example.vn")
        page.fill("#body", f"Cảm ơn bài viết, xem trên màn hình {width}.")
        page.check("#consent")
        page.locator(".comment-form button[type=submit]").click()
        expect(page.locator(".flashes")).to_contain_text(SENT)
        _check(page, axe, f"article after a comment {width}")
    if width == "phone":  # the categories sit in the menu: open it as a reader would
        page.locator("body > header summary").click()
    page.locator(f"a[href='{COMPLAINTS}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(COMPLAINTS) + "$"))
    _check(page, axe, f"complaints {width} {scheme}")
    page.goto(SCHEDULE)
    _check(page, axe, f"schedule {width} {scheme}")
    shot(page, f"schedule-{width}-{scheme}")


def test_dark_mode_really_changes_the_page(new_context: NewContext) -> None:
    """So the dark runs above cannot pass by testing the light page twice."""
    colours = {}
    for scheme in ("light", "dark"):
        page = new_context(color_scheme=scheme).new_page()
        page.goto("/")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours["light"] != colours["dark"], colours


@pytest.mark.parametrize("width", [320, 375, 414])
def test_on_a_phone_the_header_is_short_and_its_menu_opens_without_javascript(
    new_context: NewContext, shot: Any, width: int
) -> None:
    context = new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    height = _header_height(page)
    assert height <= PHONE_HEADER_MAX, f"the header takes {height:.0f} px at {width} px"
    categories = page.locator("body > header a[href^='/categories/']")
    assert categories.count() > 0
    page.locator("body > header summary").first.click()  # a <details> menu: no script needed
    expect(categories.first).to_be_visible()
    shot(page, f"menu-open-{width}")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                 "body > header a, body > header button, body > header summary")]
          .filter(el => el.offsetParent !== null)
          .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])
          .filter(([, h]) => h < 44)"""
    )
    assert not small, f"tap targets under 44 px at {width} px: {small}"
    assert page.evaluate(OVERFLOW) is None
