"""The content version as every shared page view reads it: one row, and a menu kept per version."""

from __future__ import annotations

from newsportal import content_version
from newsportal.articles import services
from newsportal.extensions import db
from newsportal.models import Category

from .page_helpers import soup


def _menu(client) -> list[str]:
    """The categories in the page's menu, as a cookie-less reader (the fast path) gets it."""
    nav = soup(client.get("/")).select_one("nav.main-nav")
    return [a.get_text() for a in nav.select("a[lang=vi]")]


def _peek(app):
    with app.app_context():
        return content_version.peek()


def test_a_known_version_is_read_in_one_statement(app, make_category, count_queries, version_reads):
    make_category("Thời sự")
    first = count_queries(lambda: _peek(app))  # a version this process has not seen: its menu
    assert count_queries(lambda: _peek(app)) == version_reads
    assert first == 2
    assert [item.name for item in _peek(app).menu] == ["Thời sự"]


def test_the_menu_shows_a_renamed_or_added_category_at_once(app, make_category, count_queries):
    reader = app.test_client(use_cookies=False)
    cat = make_category("Thời sự", position=1)
    assert _menu(reader) == ["Thời sự"]
    assert _menu(reader) == ["Thời sự"]  # the cached page, its menu from the kept one
    with app.app_context():
        services.save_category(db.session.get(Category, cat), "Thời sự - Chính trị", "", 1)
    assert _menu(reader) == ["Thời sự - Chính trị"]
    make_category("Kinh tế", position=0)
    assert _menu(reader) == ["Kinh tế", "Thời sự - Chính trị"]
    with app.app_context():
        services.delete_category(db.session.get(Category, cat))
    assert _menu(reader) == ["Kinh tế"]
    assert count_queries(lambda: _peek(app)) == 1  # and kept again
