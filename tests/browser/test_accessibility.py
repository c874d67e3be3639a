"""axe-core in Chromium: no serious or critical WCAG 2.1 A/AA violation on the main pages."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from .conftest import NewContext, save_json
from .live_server import LiveServer

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
# (name, role signed in or None, path; {article}/{category}/{article_id} filled from the demo)
PAGES = [
    ("home", None, "/"),
    ("article", None, "/articles/{article}"),
    ("category", None, "/categories/{category}"),
    ("search", None, "/search?q=l%C3%BAa"),
    ("complaints", None, "/pages/khieu-nai-to-cao"),
    ("login", None, "/login"),
    ("editor-desk", "editor", "/editor/"),
    ("article-edit", "editor", "/editor/articles/{article_id}"),
    ("page-new", "editor", "/editor/pages/new"),
    ("moderation-desk", "moderator", "/moderation/"),
]
RESULTS: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Any:
    yield
    if RESULTS:
        path = save_json("axe-summary.json", RESULTS)
        print(f"axe results per page: {path}")


@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_violations(
    name: str,
    role: str | None,
    path: str,
    new_context: NewContext,
    staff_state: Any,
    live_server: LiveServer,
    axe: Any,
    shot: Any,
) -> None:
    slug = live_server.slugs["article"]
    category, article_id = live_server.slugs["category"], live_server.article_id(slug)
    url = path.format(article=slug, category=category, article_id=article_id)
    context = new_context(storage_state=staff_state(role)) if role else new_context()
    page = context.new_page()
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    shot(page, name)
    violations = axe(page)["violations"]
    RESULTS[name] = dict(Counter(v["impact"] or "none" for v in violations))
    save_json(f"axe-{name}.json", violations)
    blocking = [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def test_axe_itself_reports_an_unlabelled_field(page: Any, axe: Any) -> None:
    page.set_content(
        "<!doctype html><html lang='vi'><head><title>probe</title></head><body><main>"
        "<h1>probe</h1><input id='unlabelled'></main></body></html>"
    )
    found = {v["id"]: v["impact"] for v in axe(page)["violations"]}
    assert found.get("label") == "critical", found
