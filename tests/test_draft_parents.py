"""Unpublished pages appear nowhere public, not even as the parent of a published page.

The breadcrumb skips an unpublished level (the published pages above it still show) and the
section menu is built from the published pages only.
"""

from __future__ import annotations

from newsportal.extensions import db
from newsportal.models import Page
from newsportal.pages import services

from .page_helpers import make_page, soup

SECRET = "Dự thảo kế hoạch thanh tra bí mật"


def public_urls(slugs: list[str]) -> list[str]:
    return [f"/pages/{slug}" for slug in slugs] + [
        "/",
        "/sitemap.xml",
        "/feed.xml",
        "/search?q=du+thao+ke+hoach",
        "/search?q=thanh+tra",
    ]


def assert_nowhere(client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert SECRET not in text, url
        assert "/pages/du-thao-ke-hoach-thanh-tra-bi-mat" not in text, url


def test_a_draft_top_page_is_not_shown_by_its_published_children(app, client):
    draft = make_page(app, SECRET, publish=False)
    child = make_page(app, "Lịch thanh tra năm 2026", parent_id=draft.id)
    sibling = make_page(app, "Kết luận thanh tra", parent_id=draft.id)
    grandchild = make_page(app, "Thanh tra quý I", parent_id=child.id)
    assert_nowhere(client, public_urls([child.slug, sibling.slug, grandchild.slug]))
    assert client.get(f"/pages/{draft.slug}").status_code == 404
    page = soup(client.get(f"/pages/{grandchild.slug}"))
    crumbs = [a.get_text() for a in page.select(".breadcrumbs li + li a")]
    assert crumbs == ["Lịch thanh tra năm 2026"]  # the draft level is skipped


def test_a_draft_middle_page_is_skipped_in_the_breadcrumb_and_menu(app, client):
    top = make_page(app, "Giải quyết khiếu nại, tố cáo")
    draft = make_page(app, SECRET, publish=False, parent_id=top.id)
    other = make_page(app, "Tiếp công dân", parent_id=top.id)
    child = make_page(app, "Thanh tra quý I", parent_id=draft.id)
    assert_nowhere(client, public_urls([top.slug, other.slug, child.slug]))
    page = soup(client.get(f"/pages/{child.slug}"))
    assert [a.get_text() for a in page.select(".breadcrumbs li + li a")] == [top.title]
    menu = [a.get_text() for a in page.select(".section-nav a")]
    assert menu == [top.title, other.title]


def test_unpublishing_a_parent_hides_its_title_from_the_children(app, client):
    parent = make_page(app, SECRET)
    child = make_page(app, "Thanh tra quý I", parent_id=parent.id)
    assert SECRET in client.get(f"/pages/{child.slug}").get_data(as_text=True)
    with app.app_context():
        services.unpublish_page(db.session.get(Page, parent.id), None)
    assert_nowhere(client, public_urls([child.slug]))
