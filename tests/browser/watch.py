"""What a page must never show: console errors, uncaught exceptions, CSP violations, 5xx."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Records what the page itself reports; console.error carries it to the Python side.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@dataclass
class Problems:
    """Console errors, uncaught exceptions, CSP violations and 5xx seen by any page of a test."""

    seen: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", lambda message: self.console(page, message))
        page.on("pageerror", lambda error: self.seen.append(f"{page.url}: uncaught: {error}"))
        page.on(
            "response",
            lambda r: self.seen.append(f"{r.url}: {r.status}") if r.status >= 500 else None,
        )

    def console(self, page: Any, message: Any) -> None:
        # Chromium asks for /favicon.ico by itself; the site has no icon, and that is no fault.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.seen.append(f"{page.url}: console.error: {message.text} ({message.location})")
