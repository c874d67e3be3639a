"""One live server and one Chromium for the whole browser suite; a fresh context per reader.

Package-scoped: both start at the first browser test and stop after the last, not at the end of
the whole run.

The server is the real app (CSRF on, page cache on, rate limits on but generous) on a temporary
SQLite file with the demo loaded through the CLI. SQLite only: these tests prove what a browser
sees, and the database engine is covered by the rest of the suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import PASSWORD
from .live_server import STAFF, LiveServer, start
from .watch import WATCH_CSP, Problems

CHROMIUM = Path(os.environ.get("NEWSPORTAL_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
NPM_CI = "npm ci --prefix tests/browser"
ARTIFACTS = HERE.parent.parent / "test-artifacts" / "browser"

STARTED: list[bool] = []  # the summary names the artifacts only after a run that made them


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"browser test: no Chromium at {CHROMIUM} (apt-get install chromium, or .ci/run)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser test: Python playwright is not installed (make install)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without Chromium (or axe-core for the accessibility checks) only browser tests skip."""
    missing = _missing()
    no_axe = None if AXE.exists() else f"browser test: no axe-core ({NPM_CI})"
    for item in items:
        if item.get_closest_marker("browser") is None:
            continue
        reason = missing or (no_axe if "axe" in getattr(item, "fixturenames", ()) else None)
        if reason and os.environ.get("NEWSPORTAL_TEST_REQUIRE_BROWSER"):
            # CI installs the browser: a skip there would hide a broken install step.
            raise pytest.UsageError(f"NEWSPORTAL_TEST_REQUIRE_BROWSER=1 but {reason}")
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if STARTED:
        terminalreporter.write_line(f"browser screenshots and axe results: {ARTIFACTS}")


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live, stop = start(tmp_path_factory.mktemp("live"))
    yield live
    stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    STARTED.append(True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def problems() -> Iterator[Problems]:
    found = Problems()
    yield found
    assert not found.seen, "\n".join(found.seen)


NewContext = Callable[..., Any]


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer, problems: Problems) -> Iterator[NewContext]:
    """A fresh browser profile (no cookies) per call; every page in it is watched."""
    opened: list[Any] = []

    def make(**options: Any) -> Any:
        options = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 900}, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_CSP)
        context.on("page", problems.watch)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Any:
    return new_context().new_page()


@pytest.fixture(scope="package")
def staff_state(browser: Any, live_server: LiveServer) -> Callable[[str], dict[str, Any]]:
    """Signed-in cookies per role, made once: logins are throttled, and slow on purpose."""
    states: dict[str, dict[str, Any]] = {}

    def state(role: str) -> dict[str, Any]:
        if role not in states:
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, role)
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state


def sign_in(page: Any, role: str) -> None:
    page.goto("/login")
    page.fill("#email", STAFF[role])
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".staff-nav")


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """Screenshot a step: test-artifacts/browser/<test>/<nn>-<step>.png (the path is printed)."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    taken: list[Path] = []

    def take(page: Any, step: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(taken) + 1:02d}-{step}.png"
        # The viewport, where the step's element was scrolled to: a full page costs 15 times more.
        page.screenshot(path=str(path))
        taken.append(path)
        print(f"screenshot: {path}")
        return path

    return take


@pytest.fixture(scope="package")
def axe() -> Callable[[Any], dict[str, Any]]:
    """Run axe-core in a page for WCAG 2.1 A/AA; evaluate() puts it in without an inline script."""
    source = AXE.read_text()

    def run(page: Any) -> dict[str, Any]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        return dict(
            page.evaluate(
                """() => axe.run(document, {
                     runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                     resultTypes: ["violations"]})"""
            )
        )

    return run


def save_json(name: str, data: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return path
