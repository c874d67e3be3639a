"""One transaction per action: a failure after the first row reached the database leaves
nothing behind, and the person sees the site's 500 page, not a traceback.

The failure is injected right after the action's first flush (its first INSERT or UPDATE has
been sent), so each test proves the rollback, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event
from sqlalchemy.orm import Session

from newsportal.extensions import db
from newsportal.models import Comment

from .comment_helpers import comment_data
from .page_helpers import make_page


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # The 500 page is what is being tested: Flask must serve it instead of raising.
    return {
        **app_config,
        "PROPAGATE_EXCEPTIONS": False,
        "RATELIMIT_ENABLED": False,
        "COMMENT_MIN_SECONDS": 0,
    }


class Injected(RuntimeError):
    pass


@pytest.fixture
def fail_after_first_write() -> Iterator[list[int]]:
    flushes: list[int] = []

    def boom(session: Session, context: Any) -> None:
        flushes.append(1)
        raise Injected("a step after the first write failed")

    event.listen(Session, "after_flush", boom)
    yield flushes
    event.remove(Session, "after_flush", boom)


def snapshot(app: Any) -> dict[str, list[tuple[Any, ...]]]:
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
            for table in db.metadata.sorted_tables
        }


def assert_friendly_500(response: Any) -> None:
    assert response.status_code == 500
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text() == "Đã xảy ra lỗi"
    assert "Traceback" not in page.get_text()


def seeded(app: Any, make_article: Any) -> dict[str, Any]:
    article = make_article()
    response = app.test_client().post(f"/articles/{article.slug}/comments", data=comment_data(app))
    assert response.status_code == 302
    page = make_page(app)
    with app.app_context():
        comment_id = db.session.scalars(db.select(Comment.id)).one()
    return {
        "slug": article.slug,
        "article_id": article.id,
        "comment_id": comment_id,
        "page_id": page.id,
    }


ACTIONS = {
    "comment": (None, "/articles/{slug}/comments", "comment"),
    "article-new": (
        "editor",
        "/editor/articles/new",
        {"title": "Tin mới", "body": "Nội dung", "action": "publish"},
    ),
    "article-save": (
        "editor",
        "/editor/articles/{article_id}",
        {"title": "Tiêu đề đã sửa", "body": "Nội dung mới", "action": "save"},
    ),
    "article-publish": (
        "editor",
        "/editor/articles/{article_id}",
        {"title": "Tiêu đề", "body": "Nội dung", "action": "publish"},
    ),
    "moderation-approve": (
        "moderator",
        "/moderation/act",
        {"comment": "{comment_id}", "action": "approve"},
    ),
    "moderation-bulk": (
        "moderator",
        "/moderation/bulk",
        {"ids": "{comment_id}", "action": "reject", "reason": "off-topic"},
    ),
    "page-save": (
        "editor",
        "/editor/pages/{page_id}",
        {
            "title": "Trang đã sửa",
            "body": "Nội dung",
            "parent_id": "None",
            "position": "0",
            "block": "",
            "action": "save",
        },
    ),
    "page-new": (
        "editor",
        "/editor/pages/new",
        {
            "title": "Trang mới",
            "parent_id": "None",
            "position": "0",
            "block": "",
            "action": "publish",
        },
    ),
}


@pytest.mark.parametrize(("role", "path", "form"), ACTIONS.values(), ids=ACTIONS.keys())
def test_a_failure_after_the_first_write_leaves_nothing(
    app, client, auth, make_article, request, role, path, form
):
    ids = seeded(app, make_article)
    auth.as_role(role)
    data = (
        comment_data(app, body="Một góp ý khác cho bài.")
        if form == "comment"
        else {key: value.format(**ids) for key, value in form.items()}
    )
    before = snapshot(app)
    flushes = request.getfixturevalue("fail_after_first_write")
    response = client.post(path.format(**ids), data=data)
    assert flushes, "the action wrote nothing: the test would prove nothing"
    assert_friendly_500(response)
    assert snapshot(app) == before
