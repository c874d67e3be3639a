"""A seeded app shared by one module's bad-input, fuzz and all-or-nothing tests.

SQLite only, one app per module: what these tests prove (status codes, form errors, what the
sanitiser keeps, rollbacks) is decided in Python before any text reaches the database, so the
engine does not change it; building the app and its content once instead of per example is what
keeps the fuzz under a minute. The one engine difference, PostgreSQL refusing NUL in text, has
its own test on both engines in test_bad_input.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsportal import create_app
from newsportal.extensions import db
from newsportal.models import Comment

from .comment_helpers import comment_data
from .conftest import PASSWORD, ROLES
from .page_helpers import make_page, make_result, make_session, vn

CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-for-anything",
    "WTF_CSRF_ENABLED": False,
    # Every example must reach the code under test, not a 429 or a too-fast refusal.
    "RATELIMIT_ENABLED": False,
    "COMMENT_MIN_SECONDS": 0,
    "PAGE_CACHE_ENABLED": False,
}
# The error pages are what is being tested: a crash must come back as a 500 page, not raise.
SERVE_ERRORS = {"PROPAGATE_EXCEPTIONS": False}


@dataclass
class Site:
    app: Flask
    slug: str  # a published article open for comments
    article_id: int
    comment_id: int  # pending
    page_id: int
    page_slug: str  # the section page listing published results
    clients: dict[str | None, FlaskClient] = field(default_factory=dict)

    def client(self, role: str | None) -> FlaskClient:
        return self.clients[role]


def build_site(tmp: Path, **overrides: Any) -> Iterator[Site]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp / "instance"))
        app = create_app(
            {**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'site.db'}", **overrides}
        )
        yield from _seeded(app)


def _seeded(app: Flask) -> Iterator[Site]:
    from newsportal.articles import services
    from newsportal.auth.services import create_user
    from newsportal.text import utcnow

    with app.app_context():
        db.create_all()
        for role in ROLES:
            create_user(f"{role}@example.org", f"Người {role}", role, PASSWORD)
        category = services.save_category(None, "Thời sự", "", 0)
        data = services.ArticleData(
            title="Đồng Tháp triển khai Nghị quyết 68",
            lead="Sapo.",
            body_md="Nội dung **chính**.",
            byline="Minh Hằng",
            category_id=category.id,
            published_at=utcnow(),
        )
        article = services.save_article(None, data, None, "publish")
        slug, article_id = article.slug, article.id
    page = make_page(app, "Kết quả giải quyết", slug="ket-qua", block="published_results")
    make_session(app, vn(2030, 1, 6))
    make_result(app, "01/QĐ-UBND", date(2025, 3, 1))
    clients: dict[str | None, FlaskClient] = {None: app.test_client()}
    for role in ROLES:
        clients[role] = app.test_client()
        response = clients[role].post(
            "/login", data={"email": f"{role}@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
    response = app.test_client().post(f"/articles/{slug}/comments", data=comment_data(app))
    assert response.status_code == 302
    with app.app_context():
        comment_id = db.session.scalars(db.select(Comment.id)).one()
    yield Site(app, slug, article_id, comment_id, page.id, page.slug, clients)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
