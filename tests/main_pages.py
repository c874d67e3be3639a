"""The main pages of the site, rendered once per test module with the demo content loaded.

Shared by the HTML validity and the accessibility semantics tests. Markup does not depend on the
database engine, so one SQLite database per module is enough (and saves the PostgreSQL run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from newsportal import create_app
from newsportal.articles import services as articles
from newsportal.auth import reset
from newsportal.auth.services import create_user
from newsportal.content.review import Writer
from newsportal.extensions import db
from newsportal.keys import signing_keys
from newsportal.mail import notices
from newsportal.models import Article, Category, Comment, Tag, User

from .conftest import PASSWORD

LANGUAGES = ("vi", "en")
COMMENTED_ARTICLE = "lanh-dao-ubnd-tinh-tiep-cong-dan-dinh-ky-thang-11"  # approved + reply
PICTURE_ARTICLE = "thap-muoi-dam-sen-mua-nuoc-rut-hut-khach-tham-quan-cuoi-tuan"  # figure
STAFF_EMAIL = "a11y-admin@example.org"  # admin: sees every desk and every staff link
SUBMITTED = "Phóng viên gửi duyệt: chợ nổi mùa nước"  # waiting for review, for its pages
DEMO_COMMENTER = "loc.tran@example.org"  # has comments in the demo


@dataclass(frozen=True)
class Page:
    name: str  # e.g. "article.vi": names the file handed to the validator
    path: str
    html: str


def _paths(app: Flask) -> tuple[dict[str, str], dict[str, str]]:
    """(reader pages, staff pages): name -> path, looked up in the demo content."""
    with app.app_context():
        category = db.session.scalar(select(Category.slug).order_by(Category.position))
        byline = db.session.scalar(select(Article.byline).where(Article.slug == COMMENTED_ARTICLE))
        author = app.jinja_env.filters["slugify"](byline)
        tag = db.session.scalar(select(Tag.slug).order_by(Tag.id))
        article_id = db.session.scalar(select(Article.id).where(Article.slug == COMMENTED_ARTICLE))
        editor_id = db.session.scalar(select(User.id).where(User.role == "editor"))
        submitted = db.session.scalar(select(Article.id).where(Article.title == SUBMITTED))
        editor = db.session.get(User, editor_id)
        reset_token = reset.token_for(editor, signing_keys(app.config))
        comment_id = db.session.scalar(select(Comment.id).order_by(Comment.id))
        unsubscribe_token = notices.unsubscribe_token(comment_id)
    reader = {
        "home": "/",
        "home-page-2": "/?page=2",
        "article": f"/articles/{COMMENTED_ARTICLE}",
        "article-picture": f"/articles/{PICTURE_ARTICLE}",
        "category": f"/categories/{category}",
        "author": f"/authors/{author}",
        "tag": f"/tags/{tag}",
        "search": "/search?q=l%C3%BAa",  # "lúa": several articles match
        "complaints": "/pages/khieu-nai-to-cao",
        "complaints-guide": "/pages/huong-dan-khieu-nai",
        "reception-schedule": "/pages/lich-tiep-cong-dan",
        "published-results": "/pages/cong-khai-ket-qua",
        "legal-documents": "/pages/van-ban-phap-luat",
        "where-to-send": "/pages/noi-gui-don",
        "contact": "/pages/lien-he",
        "privacy-note": "/pages/bao-ve-du-lieu-ca-nhan",
        "login": "/login",
        "forgot-password": "/login/forgot",
        "reset-password": f"/login/reset/{reset_token}",
        "unsubscribe": f"/mail/unsubscribe/{unsubscribe_token}",
        "not-found": "/articles/no-such-article",
    }
    staff = {
        "editor-desk": "/editor/",
        "article-edit": f"/editor/articles/{article_id}",
        "page-desk": "/editor/pages/",
        "review-queue": "/editor/review",
        "review": f"/editor/articles/{submitted}/review",
        "moderation": "/moderation/",
        "moderation-audit": "/moderation/audit",
        "staff-accounts": "/admin/users/",
        "staff-account": f"/admin/users/{editor_id}",
        "personal-data": "/admin/personal-data/",
    }
    return reader, staff


def _get(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    expected = 404 if "no-such" in path else 200
    assert response.status_code == expected, (path, response.status_code)
    return response.get_data(as_text=True)


def _token(client: FlaskClient) -> str:
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', _get(client, "/login"))
    assert token, "the login form carries a CSRF token"
    return token[1]


def _forms_with_errors(client: FlaskClient, lang: str) -> Iterator[Page]:
    """Error messages are tied to their fields by id: the ids must exist and be unique."""
    path = "/login"
    wrong = {"email": "nobody@example.org", "password": "not the password", "lang": lang}
    response = client.post(path, data={**wrong, "csrf_token": _token(client)})
    assert response.status_code == 200
    yield Page(f"login-error.{lang}", path, response.get_data(as_text=True))
    path = f"/articles/{COMMENTED_ARTICLE}/comments"
    token = client.get("/comments/token").get_json()
    typed = {"name": "", "email": "x" * 300, "body": "ab", **token}  # several errors per field
    response = client.post(path, data=typed)
    assert response.status_code == 200
    yield Page(f"comment-errors.{lang}", path, response.get_data(as_text=True))


def _moderation_forms(client: FlaskClient, lang: str) -> Iterator[Page]:
    """The queue with a rejection refused for want of a reason, and with the undo banner."""
    queue = _get(client, "/moderation/")
    first = re.search(r'name="ids" value="(\d+)"', queue)
    assert first, "the demo has pending comments"
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', queue)
    assert token, "the bulk form carries a CSRF token"
    sent = {"ids": first[1], "next": "/moderation/", "csrf_token": token[1]}
    response = client.post("/moderation/bulk", data={**sent, "action": "reject"})
    assert response.status_code == 422
    yield Page(f"moderation-reason-missing.{lang}", "/moderation/bulk", response.get_data(True))
    response = client.post("/moderation/bulk", data={**sent, "action": "approve"})
    assert response.status_code == 302
    page = _get(client, "/moderation/")
    assert 'id="undo-banner"' in page
    yield Page(f"moderation-undo-banner.{lang}", "/moderation/", page)


def _personal_data_desk(client: FlaskClient, lang: str) -> Iterator[Page]:
    """A person's data found (with the correction form) and a correction refused."""
    path = "/admin/personal-data/"
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', _get(client, path))
    assert token, "the desk's form carries a CSRF token"
    token = token[1]
    found = client.post(path, data={"email": DEMO_COMMENTER, "csrf_token": token})
    assert found.status_code == 200
    yield Page(f"personal-data-found.{lang}", path, found.get_data(as_text=True))
    path = "/admin/personal-data/correct"
    typed = {"email": DEMO_COMMENTER, "new_name": "x" * 90, "new_email": "x", "csrf_token": token}
    refused = client.post(path, data=typed)
    assert refused.status_code == 200
    yield Page(f"personal-data-correct-errors.{lang}", path, refused.get_data(as_text=True))


def render_main_pages(tmp: Path) -> Iterator[Page]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-anything",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'pages.db'}",
            "WTF_CSRF_ENABLED": True,  # the forms as a reader gets them, token field included
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "PAGE_CACHE_ENABLED": False,
            "ARTICLES_PER_PAGE": 4,  # the demo's articles then fill a second page
        }
    )
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        create_user(STAFF_EMAIL, "Người kiểm tra", "admin", PASSWORD)
        reporter = db.session.scalar(select(User.id).where(User.role == "reporter"))
        assert reporter is not None  # the demo's
        text = articles.ArticleData(title=SUBMITTED, lead="Sapo.", body_md="Nội dung.", byline="")
        articles.write_article(None, text, Writer(reporter, "reporter"), "submit")
    reader, staff = _paths(app)
    for lang in LANGUAGES:
        anonymous = app.test_client()
        anonymous.get(f"/?lang={lang}")
        for name, path in reader.items():
            yield Page(f"{name}.{lang}", path, _get(anonymous, path))
        yield from _forms_with_errors(anonymous, lang)
        admin = app.test_client()
        admin.get(f"/?lang={lang}")
        login = admin.post(
            "/login", data={"email": STAFF_EMAIL, "password": PASSWORD, "csrf_token": _token(admin)}
        )
        assert login.status_code == 302, login.get_data(as_text=True)
        for name, path in staff.items():
            yield Page(f"{name}.{lang}", path, _get(admin, path))
        yield from _personal_data_desk(admin, lang)
        yield from _moderation_forms(admin, lang)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


_rendered: list[Page] = []  # the validity and the semantics tests read the same pages


@pytest.fixture(scope="session")
def main_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    """Rendered once per run even when two test modules import this fixture."""
    if not _rendered:
        tmp = tmp_path_factory.mktemp("main-pages")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp / "instance"))
            _rendered.extend(render_main_pages(tmp))
    return _rendered
