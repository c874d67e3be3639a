"""The cache contract written in pagecache.py's docstring, one test per promise it makes."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from newsportal import pagecache
from newsportal.extensions import db
from newsportal.models import Category, ContentState, User


@pytest.fixture
def commits():
    seen: list[Session] = []

    def count(session: Session) -> None:
        seen.append(session)

    event.listen(Session, "after_commit", count)
    yield seen
    event.remove(Session, "after_commit", count)


def test_a_get_that_raises_the_version_commits_no_session(app, client, make_article, commits):
    """The first page view creates the version row in a transaction of its own, not the view's."""
    make_article("Bài đầu tiên")
    with app.app_context():
        db.session.execute(db.delete(ContentState))
        db.session.commit()
    commits.clear()
    page = client.get("/")
    assert page.status_code == 200
    assert "Bài đầu tiên" in page.get_data(as_text=True)
    assert commits == []
    with app.app_context():
        assert db.session.get(ContentState, 1) is not None


def test_the_contract_is_written_down() -> None:
    doc = pagecache.__doc__ or ""
    for heading in ("What makes a page shareable", "What raises the version", "A view must not"):
        assert heading in doc


def _version(app) -> int:
    with app.app_context():
        state = db.session.get(ContentState, 1)
        return state.version if state else 0


@pytest.mark.parametrize(
    ("model", "make", "raises"),
    [(User, "make_user", False), (Category, "make_category", True)],
)
def test_only_a_change_to_public_content_raises_the_version(request, app, model, make, raises):
    """Readers never see an account: renaming one keeps every cached page; a category's shows."""
    key = request.getfixturevalue(make)("editor" if model is User else "Thời sự")
    before = _version(app)
    with app.app_context():
        db.session.get(model, key).name = "Tên mới"
        db.session.commit()
    assert (_version(app) > before) is raises
