"""Machinery of the authorisation matrix: outcomes, table rows, the fixture data URL parameters
are filled from, and a harness that sends every request from the same starting point.

The table itself (who may do what) lives in test_authorization.py, where a reader looks for it.

Every request starts from the same database, the same uploaded files and the same signed-in
session, so an allowed POST that deletes or approves something cannot change what a later case
sees: outcomes do not depend on the order the cases run in, and one case can run alone (`-k`).
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask, current_app, template_rendered
from PIL import Image as PILImage
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from newsportal import create_app
from newsportal.articles import services as articles
from newsportal.auth import reset
from newsportal.auth.services import create_user
from newsportal.comments import moderation
from newsportal.comments import services as comments
from newsportal.content.review import Writer
from newsportal.extensions import db
from newsportal.keys import signing_keys
from newsportal.mail import notices
from newsportal.media import services as media
from newsportal.models import ArticleRevision, PageRevision, User
from newsportal.pages import records
from newsportal.pages import services as pages
from newsportal.pages.demo import sample_pdf
from newsportal.storage import LocalStorage
from newsportal.text import slugify, utcnow


class Outcome(StrEnum):
    OK = "OK"  # served or handled: 2xx, a redirect not to the login page, a form shown again
    LOGIN = "LOGIN"  # 302 to /login?next=<the same path>: a signed-in role may
    FORBIDDEN = "FORBIDDEN"  # 403: signed in, but not a role that may
    NOT_ALLOWED = "NOT_ALLOWED"  # 405: the route does not take this method
    NOT_FOUND = "NOT_FOUND"  # 404, where that is what is meant
    SIGNED_OUT = "SIGNED_OUT"  # 401 in JSON: a script's URL, whose page sends them to sign in


OK = Outcome.OK
LOGIN = Outcome.LOGIN
FORBIDDEN = Outcome.FORBIDDEN
NOT_ALLOWED = Outcome.NOT_ALLOWED
NOT_FOUND = Outcome.NOT_FOUND
SIGNED_OUT = Outcome.SIGNED_OUT

# The table's columns, in this order.
ROLES = ("anonymous", "moderator", "editor", "admin", "reporter")
Cells = tuple[Outcome, Outcome, Outcome, Outcome, Outcome]

# The patterns nearly every row is made of.
EVERYONE: Cells = (OK, OK, OK, OK, OK)
NOBODY: Cells = (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
# Answering readers' comments as the editorial board: not a reporter's voice.
REPLIERS: Cells = (LOGIN, OK, OK, OK, FORBIDDEN)
EDITORS_ONLY: Cells = (LOGIN, FORBIDDEN, OK, OK, FORBIDDEN)
# The editor desk's writing side: reporters too (their own articles: test_review.py).
WRITERS: Cells = (LOGIN, FORBIDDEN, OK, OK, OK)
# JSON for the editor's scripts: signed out is a 401 the page's script understands.
EDITORS_SCRIPT: Cells = (SIGNED_OUT, FORBIDDEN, OK, OK, FORBIDDEN)
WRITERS_SCRIPT: Cells = (SIGNED_OUT, FORBIDDEN, OK, OK, OK)
MODERATORS_ONLY: Cells = (LOGIN, OK, FORBIDDEN, OK, FORBIDDEN)
ADMINS_ONLY: Cells = (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)

PASSWORD = "mật-khẩu-ma-trận-phân-quyền"
ERROR_PAGE = "errors/error.html"


@dataclass(frozen=True)
class World:
    """The fixture data every URL parameter is filled from, created once per module."""

    admin_id: int
    editor_id: int
    moderator_id: int
    reporter_id: int
    deactivated_id: int  # an admin, signed in while active, then deactivated
    category_id: int
    category_slug: str
    article_id: int
    article_slug: str
    article_revision_id: int
    review_article_id: int  # the reporter's, waiting for review
    author_slug: str
    tag_slug: str
    comment_id: int
    rule_id: int
    page_id: int
    page_slug: str
    page_revision_id: int
    session_id: int  # a citizen reception session
    result_id: int  # a published result with its PDF
    result_sha: str
    document_id: int  # a legal document
    image_name: str  # one stored copy of an uploaded picture
    reset_token: str  # the editor's forgotten-password link
    unsubscribe_token: str  # the comment's unsubscribe link


@dataclass(frozen=True)
class Row:
    """What each role gets from one endpoint, by GET and by POST.

    `args` fills the URL's parameters from the fixture data; `data` is the form a POST sends
    beside a valid CSRF token (empty by default, so an allowed role gets a form error or a
    harmless redirect rather than a change that matters).
    """

    get: Cells
    post: Cells
    args: Callable[[World], dict[str, Any]] | None = None
    data: Mapping[str, str] = field(default_factory=dict)

    def expected(self, role: str, method: str) -> Outcome:
        return (self.get if method == "GET" else self.post)[ROLES.index(role)]


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    location: str | None
    outcome: str
    wrote: bool  # the database changed while the request ran

    def __str__(self) -> str:
        moved = f" -> {self.location}" if self.location else ""
        return f"{self.outcome} (HTTP {self.status}{moved})"


def classify(response: TestResponse, url: str, templates: list[str]) -> str:
    """The table's word for a response; anything unexpected is described, never guessed."""
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(response.headers.get("Location", ""))
        if location.path != "/login" or location.netloc not in ("", "localhost"):
            return OK
        target = parse_qs(location.query).get("next", [""])[0]
        # Same-site and back where the person was going: a path, not an address elsewhere.
        if target == urlsplit(url).path and not target.startswith("//"):
            return LOGIN
        return f"LOGIN with a wrong next={target!r}"
    if 200 <= status < 300:
        return OK
    if status in (400, 422) and ERROR_PAGE not in templates:
        return OK  # the view ran and showed its form again with the errors (not a CSRF refusal)
    if status == 401 and response.is_json and response.get_json().get("signed_out"):
        return SIGNED_OUT
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return NOT_ALLOWED
    return f"HTTP {status}" + (" error page" if ERROR_PAGE in templates else "")


def _picture() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (600, 400), "teal").save(out, "JPEG")
    return out.getvalue()


def _user(email: str, role: str) -> int:
    user = create_user(email, f"Người {role}", role, PASSWORD)
    # The matrix signs in dozens of times: scrypt's cost proves nothing about who may do what.
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.commit()
    return user.id


def build_world(uploads: Path) -> World:
    """One of everything a URL can name. Call inside an app context."""
    users = {role: _user(f"{role}@example.org", role) for role in ROLES[1:]}
    deactivated = _user("deactivated@example.org", "admin")
    category = articles.save_category(None, "Thời sự", "", 0)
    limits = media.Limits(max_bytes=10 * 1024 * 1024, max_pixels=50_000_000)
    files = LocalStorage(uploads)
    image = media.store_image(_picture(), "anh.jpg", users["editor"], files, limits)
    article = articles.save_article(
        None,
        articles.ArticleData(
            title="Tỉnh khởi công cầu mới",
            lead="Sapo.",
            body_md="Nội dung **bài**.",
            byline="Minh Hằng",
            category_id=category.id,
            published_at=utcnow() - timedelta(hours=1),
            featured_image_id=image.id,
            featured_image_alt="Công trường",
            tags=["Giao thông"],
        ),
        users["editor"],
        "publish",
    )
    submitted = articles.write_article(
        None,
        articles.ArticleData(
            title="Bài phóng viên gửi duyệt", lead="", body_md="Nội dung.", byline=""
        ),
        Writer(users["reporter"], "reporter"),
        "submit",
    )
    policy = comments.Policy(secret="matrix", min_seconds=0, rate_limit=None)
    comment = comments.submit_comment(
        article,
        comments.CommentInput(
            name="Nguyễn Thị Mai",
            email="mai@example.org",
            body="Khi nào cầu thông xe?",
            ip="203.0.113.7",
            form_age=timedelta(minutes=5),
        ),
        policy,
    ).comment
    rule = moderation.add_rule("banned", "lừa đảo", users["admin"])
    page = pages.save_page(
        None,
        pages.PageData(title="Giải quyết khiếu nại, tố cáo", lead="Sapo.", body_md="Nội dung."),
        users["editor"],
        "publish",
    )
    session = records.save_session(
        None,
        records.SessionData(
            starts_at=utcnow() + timedelta(days=7),
            ends_at=None,
            receiver_title="Chủ tịch UBND tỉnh",
            receiver_name="",
            place="Trụ sở Tiếp công dân tỉnh",
        ),
        users["editor"],
    )
    result = records.save_result(
        None,
        records.ResultData(
            title="Quyết định giải quyết khiếu nại",
            document_number="12/QĐ-UBND",
            issued_on=date(2026, 3, 2),
            kind="complaint",
            pdf=sample_pdf("Sample decision"),
        ),
        users["editor"],
        files,
    )
    document = records.save_document(
        None,
        records.DocumentData(
            title="Luật Khiếu nại", number="02/2011/QH13", kind="law", issued_on=date(2011, 11, 11)
        ),
        users["editor"],
    )
    return World(
        admin_id=users["admin"],
        editor_id=users["editor"],
        moderator_id=users["moderator"],
        reporter_id=users["reporter"],
        deactivated_id=deactivated,
        category_id=category.id,
        category_slug=category.slug,
        article_id=article.id,
        article_slug=article.slug,
        article_revision_id=_first(ArticleRevision.id, ArticleRevision.article_id == article.id),
        review_article_id=submitted.id,
        author_slug=slugify(article.byline),
        tag_slug="giao-thong",
        comment_id=comment.id,
        rule_id=rule.id,
        page_id=page.id,
        page_slug=page.slug,
        page_revision_id=_first(PageRevision.id, PageRevision.page_id == page.id),
        session_id=session.id,
        result_id=result.id,
        result_sha=result.file_sha256,
        document_id=document.id,
        image_name=image.variants[0]["name"],
        reset_token=reset.token_for(
            db.session.get(User, users["editor"]), signing_keys(current_app.config)
        ),
        unsubscribe_token=notices.unsubscribe_token(comment.id),
    )


@dataclass(frozen=True)
class SignedIn:
    cookie: str  # the signed session cookie: a browser's whole state here
    token: str  # a CSRF token valid for that session


class Matrix:
    """One app on SQLite; each request is sent from the saved database, files and session."""

    def __init__(self, app: Flask, world: World, database: Path, uploads: Path) -> None:
        self.app = app
        self.world = world
        self.uploads = uploads
        self.sent = 0
        self.sessions: dict[str, SignedIn] = {}
        self.templates: list[str] = []
        template_rendered.connect(self._rendered, app)
        # One connection of our own: it restores the saved database, and its data_version
        # moves when (and only when) another connection, the app's, commits a change.
        self.watcher = sqlite3.connect(database, isolation_level=None)
        self.saved_db = sqlite3.connect(":memory:")
        self.saved_files = uploads.parent / "saved-uploads"
        self.saved_version = -1

    def _rendered(self, sender: Flask, template: Any, context: Any, **extra: Any) -> None:
        self.templates.append(str(template.name))

    def save(self) -> None:
        """What every request starts from from now on."""
        self.watcher.backup(self.saved_db)
        self.saved_version = self._data_version()
        shutil.rmtree(self.saved_files, ignore_errors=True)
        shutil.copytree(self.uploads, self.saved_files)

    def restore(self) -> None:
        if self._data_version() != self.saved_version:  # someone wrote since
            self.saved_db.backup(self.watcher)
            self.saved_version = self._data_version()
        if _listing(self.uploads) != _listing(self.saved_files):
            shutil.rmtree(self.uploads)
            shutil.copytree(self.saved_files, self.uploads)

    def _data_version(self) -> int:
        return int(self.watcher.execute("PRAGMA data_version").fetchall()[0][0])

    def sign_in(self, name: str, email: str | None) -> SignedIn:
        """A browser's session: anonymous with a CSRF token, or signed in through /login."""
        client = self.app.test_client()
        token = client.get("/comments/token").get_json()["csrf_token"]
        if email is not None:
            response = client.post(
                "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
            )
            assert response.status_code == 302, f"{email} could not sign in"
            token = client.get("/comments/token").get_json()["csrf_token"]  # a new session
        cookie = client.get_cookie(self.app.config["SESSION_COOKIE_NAME"])
        assert cookie is not None
        self.sessions[name] = SignedIn(cookie.value, token)
        return self.sessions[name]

    def send(
        self, who: str, method: str, url: str, data: Mapping[str, str] | None = None
    ) -> Answer:
        """A request from the saved starting point."""
        self.restore()
        return self.request(who, method, url, data)

    def request(
        self, who: str, method: str, url: str, data: Mapping[str, str] | None = None
    ) -> Answer:
        """A request from wherever the previous ones left the data."""
        self.sent += 1
        client = self.app.test_client()
        session = self.sessions[who]
        # An anonymous GET comes with no cookie at all, as a first visit or a crawler does
        # (the page cache answers those first); everything else carries its session.
        if who != "anonymous" or method != "GET":
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], session.cookie)
        self.templates.clear()
        before = self._data_version()
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": session.token, **(data or {})})
        wrote = self._data_version() != before
        response.close()  # a file sent (a PDF, a picture) is open until then
        location = response.headers.get("Location")
        return Answer(
            url, response.status_code, location, classify(response, url, self.templates), wrote
        )

    def set_active(self, email: str, active: bool) -> None:
        with self.app.app_context():
            user = db.session.scalars(db.select(User).where(User.email == email)).one()
            user.active = active
            db.session.commit()

    def close(self) -> None:
        template_rendered.disconnect(self._rendered, self.app)
        self.watcher.close()
        self.saved_db.close()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@contextmanager
def open_matrix(folder: Path) -> Iterator[Matrix]:
    """The app, its fixture data and a session per role (and one for a deactivated admin)."""
    database, uploads = folder / "matrix.db", folder / "uploads"
    uploads.mkdir(parents=True)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "matrix-secret-key-long-enough-for-anything",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "WTF_CSRF_ENABLED": True,  # so POSTs get past CSRF to the role checks they test
            "RATELIMIT_ENABLED": False,  # limits are not permissions; hundreds of requests
            "UPLOAD_FOLDER": str(uploads),
        }
    )
    with app.app_context():
        db.create_all()
        world = build_world(uploads)
    matrix = Matrix(app, world, database, uploads)
    matrix.sign_in("anonymous", None)
    for role in ROLES[1:]:
        matrix.sign_in(role, f"{role}@example.org")
    matrix.sign_in("deactivated", "deactivated@example.org")
    with app.app_context():
        db.session.get_one(User, world.deactivated_id).active = False
        db.session.commit()
    matrix.save()
    try:
        yield matrix
    finally:
        matrix.close()


def _first(column: Any, condition: Any) -> int:
    """The first id matching `condition`, or 0 (a URL no row has) when there is none."""
    return db.session.scalars(db.select(column).where(condition)).first() or 0
