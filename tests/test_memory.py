"""A web worker reading pages loads none of the big libraries only other features use.

Each of them is megabytes resident in every gunicorn worker (fpdf2 alone some 33 MB, pypdf 17,
zxcvbn 12, Alembic 11): they are imported by the function that needs them. A fresh interpreter
is the only place to see what a request imports: the test process has imported everything."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsportal import ROOT
from newsportal.extensions import db

from .page_helpers import make_page

HEAVY = ("zxcvbn", "alembic", "flask_migrate", "feedgen", "icalendar", "PIL", "fpdf", "pypdf")

# Builds the app, GETs each URL given, prints the statuses and which HEAVY modules are loaded;
# a second list of URLs (after "--") is fetched next and reported separately.
CHILD = """
import json, sys
from newsportal import create_app

heavy, database, urls = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3:]
app = create_app({"SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": database, "TESTING": True})
client = app.test_client()
report = []
for url in urls:
    if url == "--":
        report.append({"loaded": [name for name in heavy if name in sys.modules]})
        continue
    report.append({"url": url, "status": client.get(url).status_code})
report.append({"loaded": [name for name in heavy if name in sys.modules]})
print(json.dumps(report))
"""


def serve_fresh(database_url: str, instance: Path, *urls: str) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
    env.update(NEWSPORTAL_INSTANCE_PATH=str(instance), PYTHONPATH=str(ROOT))
    done = subprocess.run(  # noqa: S603 (our own script and test values)
        [sys.executable, "-c", CHILD, json.dumps(HEAVY), database_url, *urls],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])
    return report


@pytest.mark.sqlite_only("one fresh interpreter is enough: imports do not depend on the server")
def test_reader_pages_load_none_of_the_heavy_libraries(
    app, database_url, make_category, make_article, tmp_path
):
    category = make_category("Kinh tế")
    article = make_article("Giá lúa tăng nhẹ", category_id=category)
    make_page(app, "Hướng dẫn khiếu nại", slug="huong-dan-khieu-nai")
    page = "/pages/huong-dan-khieu-nai"  # no feed of its own, unlike home and category
    readers = ["/", f"/articles/{article.slug}", "/categories/kinh-te", page]
    others = ["/feed.xml", "/pages/lich-tiep-cong-dan.ics"]

    report = serve_fresh(database_url, tmp_path / "instance", *readers, "--", *others)

    pages, after_readers, later, after_others = report[:4], report[4], report[5:7], report[7]
    assert [(p["url"], p["status"]) for p in pages + later] == [
        (url, 200) for url in readers + others
    ]
    assert after_readers["loaded"] == []
    # The names watched are the ones really imported: the feed and the calendar load theirs.
    assert after_others["loaded"] == ["feedgen", "icalendar"]


@pytest.mark.sqlite_only("stamping leaves an alembic_version table in the shared schema")
def test_flask_db_still_works_though_flask_migrate_is_imported_late(app, runner):
    # Alembic prints to the stdout it saw when first imported: the database says what it did.
    result = runner.invoke(args=["db", "stamp", "head"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stamped = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    assert re.fullmatch(r"[0-9a-f]{12}", stamped or "")
