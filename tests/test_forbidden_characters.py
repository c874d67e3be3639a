"""One character must not break a page or a feed for everyone.

Each class of code point that XML 1.0 forbids (plus C1 controls and noncharacters) is published
through the services and the public comment form, then every public page and feed is read: 200,
the XML parses, and the character is gone. Rows already stored with such characters (imported
before the cleaning) are caught by the writers' output guard.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from icalendar import Calendar
from sqlalchemy import update

from newsportal.comments import moderation
from newsportal.extensions import db
from newsportal.models import Article, Category, Comment, ReceptionSession
from newsportal.text import utcnow

from .comment_helpers import comment_data, comments
from .page_helpers import make_page, make_session

FORBIDDEN = {
    "NUL": "\x00",
    "C0 U+0008": "\x08",
    "C0 U+000B": "\x0b",
    "C0 U+000C": "\x0c",
    "C0 U+001F": "\x1f",
    "DEL": "\x7f",
    "C1 U+0085": "\x85",
    "C1 U+009F": "\x9f",
    "lone surrogate U+D800": "\ud800",
    "lone surrogate U+DFFF": "\udfff",
    "noncharacter U+FDD0": "\ufdd0",
    "noncharacter U+FDEF": "\ufdef",
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    "noncharacter U+1FFFE": "\U0001fffe",
    "noncharacter U+1FFFF": "\U0001ffff",
    "noncharacter U+10FFFF": "\U0010ffff",
}
# What a database can hold: PostgreSQL refuses NUL and no UTF-8 encodes a lone surrogate.
FORM = "application/x-www-form-urlencoded"
STORABLE = ["\x01", "\x0b", "\x1f", "\x85", "\ufdd0", "\ufffe", "\uffff", "\U0010ffff"]


def public_urls(article: Article, category_slug: str, page_slug: str) -> dict[str, str]:
    return {
        "home": "/",
        "article": f"/articles/{article.slug}",
        "category": f"/categories/{category_slug}",
        "author": "/authors/minh-hang",
        "search": "/search?q=tin",
        "page": f"/pages/{page_slug}",
        "feed": "/feed.xml",
        "category feed": f"/categories/{category_slug}/feed.xml",
        "sitemap": "/sitemap.xml",
        "ical": "/pages/lich-tiep-cong-dan.ics",
    }


def read_everything(client: Any, urls: dict[str, str], char: str) -> None:
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        text = response.get_data(as_text=True)
        assert char not in text, name
        if url.endswith(".xml"):
            ET.fromstring(response.data)  # raises on anything XML 1.0 forbids
        elif url.endswith(".ics"):
            assert Calendar.from_ical(response.data).walk("VEVENT")


def hostile(char: str) -> dict[str, str]:
    return {
        "title": f"Tin{char} mới",
        "lead": f"Sapo{char} có ký tự lạ.",
        "body": f"Thân{char} bài **đậm**.",
        "byline": f"Minh{char} Hằng",
    }


@pytest.mark.parametrize("char", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
def test_each_forbidden_character_is_dropped_at_the_boundary(
    app, client, make_article, make_category, char
):
    fields = hostile(char)
    category_id = make_category(f"Thời{char} sự")
    article = make_article(
        fields["title"],
        lead=fields["lead"],
        body=fields["body"],
        byline=fields["byline"],
        category_id=category_id,
    )
    assert article.title == "Tin mới"
    assert (article.lead, article.byline) == ("Sapo có ký tự lạ.", "Minh Hằng")
    page = make_page(app, f"Hướng dẫn{char}", lead=f"Sapo{char}.", body_md=f"Trang{char}.")
    make_session(app, utcnow() + timedelta(days=2), receiver_name=f"Ông{char} A", note=f"Ghi{char}")
    typed = comment_data(app, name=f"Nguyễn{char} Mai", body=f"Bình{char} luận hay.")
    # As a browser would send it; a lone surrogate arrives as invalid UTF-8 (read as U+FFFD).
    body = urlencode(typed, encoding="utf-8", errors="surrogatepass")
    response = client.post(f"/articles/{article.slug}/comments", data=body, content_type=FORM)
    assert response.status_code == 302
    (comment,) = comments(app)
    assert char not in comment.name + comment.body
    if not "\ud800" <= char <= "\udfff":
        assert (comment.name, comment.body) == ("Nguyễn Mai", "Bình luận hay.")
    with app.app_context():
        moderation.set_status([comment.id], "approve", None)
        category_slug = db.session.get(Category, category_id).slug
    read_everything(client, public_urls(article, category_slug, page.slug), char)


def test_an_article_written_in_the_editor_form_loses_the_character(app, auth, client):
    auth.as_role("editor")
    char = "\uffff"
    form = {
        **hostile(char),
        "slug": "",
        "category_id": "None",
        "published_at": "",
        "comments_enabled": "y",
        "action": "publish",
    }
    assert client.post("/editor/articles/new", data=form).status_code == 302
    with app.app_context():
        article = db.session.scalars(db.select(Article)).one()
        stored = [article.title, article.lead, article.body_md, article.body_html, article.byline]
    assert not any(char in value for value in stored)
    assert article.title == "Tin mới"


@pytest.mark.parametrize("char", STORABLE, ids=[f"U+{ord(c):04X}" for c in STORABLE])
def test_rows_stored_before_the_cleaning_do_not_break_the_feeds(
    app, client, make_article, make_category, char
):
    category_id = make_category("Thời sự")
    article = make_article("Tin mới", category_id=category_id)
    page = make_page(app, "Hướng dẫn khiếu nại")
    make_session(app, utcnow() + timedelta(days=2))
    client.post(f"/articles/{article.slug}/comments", data=comment_data(app))
    with app.app_context():
        moderation.set_status([c.id for c in comments(app)], "approve", None)
        # Straight into the tables, past every boundary, as an old import would have left them.
        db.session.execute(
            update(Article).values(
                title=f"Tin{char} mới", lead=f"Sapo{char}", byline=f"Minh{char} Hằng"
            )
        )
        db.session.execute(update(Category).values(name=f"Thời{char} sự"))
        db.session.execute(update(Comment).values(name=f"Mai{char}"))
        db.session.execute(
            update(ReceptionSession).values(place=f"Trụ{char} sở", note=f"Ghi{char} chú")
        )
        db.session.commit()
    urls = public_urls(article, "thoi-su", page.slug)
    for name in ("feed", "category feed", "sitemap", "ical"):
        response = client.get(urls[name])
        assert response.status_code == 200, name
        assert char not in response.get_data(as_text=True), name
    ET.fromstring(client.get("/feed.xml").data)
    for name in ("home", "article", "category"):  # HTML pages stay up as well
        assert client.get(urls[name]).status_code == 200, name
