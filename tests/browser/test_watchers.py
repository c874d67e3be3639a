"""The checks themselves can fail: axe finds a known fault, a CSP violation is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import STRICT_CSP, LiveServer, NewContext, Problems

pytestmark = pytest.mark.browser

FAULTY = (
    "<!doctype html><html lang='vi'><head><title>probe</title></head><body><main>"
    "<h1>probe</h1><label>no control</label><input id='unlabelled'>"
    "<p style='color: red'>styled</p><script>document.title = 'ran';</script>"
    "</main></body></html>"
)


def test_axe_reports_an_unlabelled_field(page: Any, axe: Any) -> None:
    page.set_content(FAULTY)
    found = {v["id"]: v["impact"] for v in axe(page)["violations"]}
    assert found.get("label") == "critical", found


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
