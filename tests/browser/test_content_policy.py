"""Under a strict Content-Security-Policy nothing on our pages breaks, and a breach is noticed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import NewContext
from .live_server import STRICT_CSP, LiveServer
from .watch import Problems

pytestmark = pytest.mark.browser

FAULTY = (
    "<!doctype html><html lang='vi'><head><title>probe</title></head><body><main>"
    "<h1>probe</h1><label>no control</label><input id='unlabelled'>"
    "<p style='color: red'>styled</p><script>document.title = 'ran';</script>"
    "</main></body></html>"
)
DESKS = ("/editor/", "/moderation/", "/admin/")


def test_inline_script_and_style_under_the_policy_are_recorded(
    new_context: NewContext, live_server: LiveServer, problems: Problems
) -> None:
    page = new_context().new_page()
    page.route(
        "**/csp-probe",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": STRICT_CSP},
            body=FAULTY,
        ),
    )
    page.goto("/csp-probe")
    assert page.title() == "probe", "the inline script ran despite script-src 'self'"
    page.wait_for_function("() => true")  # lets the violation events reach the console
    seen, problems.seen[:] = list(problems.seen), []
    violations = [line for line in seen if "CSP violation" in line]
    assert any("script-src" in line for line in violations), seen
    assert any("style-src" in line for line in violations), seen


def test_every_desk_page_works_under_the_policy(
    new_context: NewContext, staff_state: Any, live_server: LiveServer
) -> None:
    """Each page a desk link leads to (taken from the app's routes, so new ones are included)."""
    paths = sorted(
        rule.rule
        for rule in live_server.app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and not rule.arguments
        and rule.rule.startswith(DESKS)
        and "." not in rule.rule.rsplit("/", 1)[-1]  # pages, not the audit's CSV
    )
    article_id = live_server.article_id(live_server.slugs["article"])
    paths.append(f"/editor/articles/{article_id}/history")
    page = new_context(storage_state=staff_state("admin")).new_page()
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        expect(page.locator("main h1")).to_be_visible()
    assert len(paths) >= 9, paths
