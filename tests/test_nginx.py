"""The shipped nginx config in front of two gunicorn servers (the shipped gunicorn config), on
one PostgreSQL: what nginx serves itself, what it caches and for how long, what it never caches,
and what the app trusts of what a client sends. The stack starts once per run (proxy_stack.py).
"""

from __future__ import annotations

import io
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image as PILImage
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from newsportal import create_app, storage
from newsportal.articles import services as articles
from newsportal.auth.services import create_user
from newsportal.comments import stamp
from newsportal.comments.services import ip_hash
from newsportal.extensions import db
from newsportal.media import services as media
from newsportal.models import Article, Comment
from newsportal.static_urls import file_hashes

from .conftest import CHEAP_PASSWORD_HASH, PASSWORD
from .proxy_stack import NGINX, ROOT, AppServer, Client, Proxy, serving
from .servers import answers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="nginx is not installed (.ci/run installs it)"
    ),
]
SECRET = f"proxy-{secrets.token_hex(24)}"  # new per run: Redis outlives it
BOUND = 3  # PROXY_MAX_AGE for these servers
PROMISE = BOUND + 1  # what deploy/README.md promises: nginx counts s-maxage in whole seconds
NGINX_HEADERS = [
    "Cache-Control",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
]


@dataclass
class Stack:
    proxy: Proxy
    apps: list[AppServer]
    site: object  # the Flask app this process reads and writes the database with
    slug: str
    upload: str

    def reader(self) -> Client:
        return Client(self.proxy.https_port)

    def logged(self, request_id: str) -> bool:
        """Whether an app server handled the request nginx gave this id.

        Each server has one sync worker, which writes a request's log line before it takes the
        next request: once it has answered one more, the line is there if it ever will be.
        """
        for app in self.apps:
            assert Client(app.port, tls=False).get("/healthz").status == 200
        return any(f"request_id={request_id} " in app.access_log.read_text() for app in self.apps)

    def signed_in(self, role: str) -> Client:
        client = self.reader()
        answer = client.post("/login", {"email": f"{role}@example.org", "password": PASSWORD})
        assert answer.status == 302, answer.text
        return client


def _schema(database: str) -> Iterator[str]:
    name = f"proxy_{secrets.token_hex(4)}"
    engine = create_engine(database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield (
            make_url(database)
            .update_query_dict({"options": f"-csearch_path={name}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()


def _picture() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def stack(postgres_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("proxy")
    uploads = folder / "uploads"
    schemas = _schema(postgres_database)
    url = next(schemas)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSPORTAL_INSTANCE_PATH", str(folder / "instance"))
        site = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": SECRET,
                "UPLOAD_FOLDER": str(uploads),
                "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
            }
        )
    with site.app_context():
        db.create_all()
        for role in ("editor", "moderator"):
            create_user(f"{role}@example.org", f"Người {role}", role, PASSWORD)
        data = articles.ArticleData(
            title="Tin qua máy chủ trung gian", lead="", body_md="Nội dung.", byline=""
        )
        slug = articles.save_article(None, data, None, "publish").slug
        limits = media.Limits(max_bytes=10**6, max_pixels=10**6)
        upload = media.store_image(_picture(), "anh.png", None, storage.current(), limits).largest[
            "name"
        ]
        db.session.remove()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSPORTAL_")}
    if answers(6379):  # as deployed: the page cache and rate limits shared by both servers
        env["NEWSPORTAL_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    prefix = f"proxy-{secrets.token_hex(4)}:"
    apps = [
        AppServer(
            folder,
            name,
            {
                **env,
                "NEWSPORTAL_ENV": "production",
                "NEWSPORTAL_SECRET_KEY": SECRET,
                "NEWSPORTAL_PUBLIC_URL": "https://127.0.0.1",
                "NEWSPORTAL_PROXY_HOPS": "1",
                "NEWSPORTAL_PROXY_MAX_AGE": str(BOUND),
                "NEWSPORTAL_DATABASE_URL": url,
                "NEWSPORTAL_UPLOAD_FOLDER": str(uploads),
                "NEWSPORTAL_INSTANCE_PATH": str(folder / name),
                "NEWSPORTAL_WTF_CSRF_ENABLED": "false",
                "NEWSPORTAL_COMMENT_MIN_SECONDS": "0",
                "NEWSPORTAL_PAGE_CACHE_PREFIX": f'"{prefix}"',
                "NEWSPORTAL_RATELIMIT_KEY_PREFIX": f'"{prefix}"',
            },
        )
        for name in ("app-a", "app-b")
    ]
    proxy = Proxy(folder / "nginx", [], ROOT / "static", uploads)
    try:
        with serving(proxy, apps):
            yield Stack(proxy, apps, site, slug, upload)
    finally:
        with site.app_context():
            db.engine.dispose()
        next(schemas, None)


def comment_form(name: str, body: str) -> dict[str, str]:
    return {
        "name": name,
        "email": f"{secrets.token_hex(4)}@example.org",
        "body": body,
        "consent": "y",
        "website": "",
        "ts": stamp.issue(SECRET, head_start=60),
    }


def direct(stack: Stack) -> Client:
    """A client of app server A itself, past the proxy."""
    return Client(stack.apps[0].port, tls=False)


def static_url(name: str) -> str:
    return f"/static/{name}?v={file_hashes(ROOT / 'static')[name]}"


@pytest.mark.parametrize("name", ["css/site.css", "js/comment-token.js", "img/dong-sen.svg"])
def test_static_files_come_from_nginx_with_the_apps_headers(stack, name):
    url = static_url(name)
    proxied = stack.reader().get(url)
    own = direct(stack).get(url)
    assert proxied.status == own.status == 200
    assert proxied.body == own.body == (ROOT / "static" / name).read_bytes()
    for header in NGINX_HEADERS:
        assert proxied.headers[header] == own.headers[header], header
    assert proxied.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert proxied.headers["Content-Type"].split(";")[0] in (
        own.headers["Content-Type"].split(";")[0],
        "application/javascript",  # nginx's name for text/javascript
    )
    assert not stack.logged(proxied.headers["X-Request-ID"])  # no app server saw it


def test_a_static_url_without_its_hash_is_revalidated_not_kept(stack):
    answer = stack.reader().get("/static/css/site.css")
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "no-cache"
    assert answer.headers["ETag"]


def test_uploads_come_from_nginx_with_the_apps_headers(stack):
    url = f"/uploads/{stack.upload}"
    proxied = stack.reader().get(url)
    own = direct(stack).get(url)
    assert proxied.status == own.status == 200
    assert proxied.body == own.body
    for header in [*NGINX_HEADERS, "Content-Type"]:
        assert proxied.headers[header] == own.headers[header], header
    assert proxied.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert not stack.logged(proxied.headers["X-Request-ID"])


def test_an_upload_not_on_this_disk_is_asked_of_the_app(stack):
    answer = stack.reader().get(f"/uploads/{'0' * 64}.png")
    assert answer.status == 404
    assert stack.logged(answer.headers["X-Request-ID"])  # another storage backend may hold it


def test_an_anonymous_page_is_a_proxy_hit_the_second_time_with_the_apps_bound(stack):
    path = f"/articles/{stack.slug}"
    first = stack.reader().get(path)
    second = stack.reader().get(path)
    assert first.status == second.status == 200
    assert first.headers["X-Cache-Status"] in ("MISS", "EXPIRED", "REVALIDATED", "HIT")
    assert second.headers["X-Cache-Status"] == "HIT"
    assert len(second.headers.get_all("X-Request-ID")) == 1  # nginx's, not the stored answer's
    assert not stack.logged(second.headers["X-Request-ID"])
    assert second.body == first.body
    assert f"s-maxage={BOUND}" in second.headers["Cache-Control"]
    assert second.headers["ETag"] == first.headers["ETag"]


def test_requests_reach_both_app_servers_with_nginxs_request_id(stack):
    seen = [stack.reader().get(f"/search?q=tin{n}") for n in range(6)]  # never cached
    for answer in seen:
        assert answer.headers["X-Cache-Status"] in ("BYPASS", "MISS")
        assert stack.logged(answer.headers["X-Request-ID"])
    ids = {answer.headers["X-Request-ID"] for answer in seen}
    assert all(
        any(f"request_id={i} " in app.access_log.read_text() for i in ids) for app in stack.apps
    )


def test_a_signed_in_editor_is_never_served_from_or_stored_in_the_proxy_cache(stack):
    stack.reader().get("/")
    assert stack.reader().get("/").headers["X-Cache-Status"] == "HIT"  # anonymous: shared
    editor = stack.signed_in("editor")
    for _ in range(2):
        page = editor.get("/")
        assert page.headers["X-Cache-Status"] == "BYPASS"
        assert stack.logged(page.headers["X-Request-ID"])
        assert "/logout" in page.text
        assert page.headers["Cache-Control"] == "private, no-store"
    anonymous = stack.reader().get("/")
    assert "/logout" not in anonymous.text


def test_a_reader_with_a_pending_comment_is_never_served_from_the_proxy_cache(stack):
    path = f"/articles/{stack.slug}"
    stack.reader().get(path)
    reader = stack.reader()
    reader.get(path)
    sent = reader.post(f"{path}/comments", comment_form("Chị Lan", "Ý kiến đang chờ duyệt."))
    assert sent.status == 302
    for _ in range(2):
        page = reader.get(path)
        assert page.headers["X-Cache-Status"] == "BYPASS"
        assert "Ý kiến đang chờ duyệt." in page.text
    assert "Ý kiến đang chờ duyệt." not in stack.reader().get(path).text


def _wait_past_the_bound(stored_at: float) -> None:
    # nginx counts s-maxage from when it stored the page, which was before stored_at.
    time.sleep(max(0.0, stored_at + PROMISE - time.monotonic()))


def test_a_comment_approved_on_the_desk_reaches_a_new_reader_within_the_bound(stack):
    path = f"/articles/{stack.slug}"
    body = f"Ý kiến được duyệt {secrets.token_hex(3)}."
    assert stack.reader().post(f"{path}/comments", comment_form("Anh Minh", body)).status == 302
    stack.reader().get(path)
    cached = stack.reader().get(path)
    stored_at = time.monotonic()
    assert cached.headers["X-Cache-Status"] == "HIT"
    assert body not in cached.text
    with stack.site.app_context():
        comment_id = db.session.scalar(select(Comment.id).where(Comment.body == body))
    moderator = stack.signed_in("moderator")
    approved = moderator.post("/moderation/bulk", {"ids": [comment_id], "action": "approve"})
    assert approved.status == 302
    _wait_past_the_bound(stored_at)
    page = stack.reader().get(path)
    assert page.headers["X-Cache-Status"] in ("EXPIRED", "MISS")
    assert body in page.text


def test_an_unpublished_article_is_gone_from_the_proxy_within_the_bound(stack):
    with stack.site.app_context():
        data = articles.ArticleData(title="Tin sẽ gỡ", lead="", body_md="Tạm thời.", byline="")
        slug = articles.save_article(None, data, None, "publish").slug
    stack.reader().get(f"/articles/{slug}")
    assert stack.reader().get(f"/articles/{slug}").headers["X-Cache-Status"] == "HIT"
    stored_at = time.monotonic()
    with stack.site.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        articles.unpublish(article, None)
    _wait_past_the_bound(stored_at)
    gone = stack.reader().get(f"/articles/{slug}")
    assert gone.status == 404


def test_a_client_sent_x_forwarded_for_is_not_trusted_past_the_proxy(stack):
    path = f"/articles/{stack.slug}/comments"
    body = f"Ý kiến từ địa chỉ giả {secrets.token_hex(3)}."
    forged = {"X-Forwarded-For": "203.0.113.7"}
    answer = stack.reader().post(path, comment_form("Người lạ", body), headers=forged)
    assert answer.status == 302
    with stack.site.app_context():
        stored = db.session.scalar(select(Comment.ip_hash).where(Comment.body == body))
    assert stored == ip_hash("127.0.0.1", SECRET)  # the address nginx saw
    assert stored != ip_hash("203.0.113.7", SECRET)


def test_metrics_are_scraped_from_each_app_server_never_through_the_proxy(stack):
    assert stack.reader().get("/metrics").status == 404
    for app in stack.apps:
        scraped = Client(app.port, tls=False).get("/metrics")
        assert scraped.status == 200
        assert b"newsportal_requests_total" in scraped.body


def test_plain_http_is_sent_to_https(stack):
    answer = Client(stack.proxy.http_port, tls=False).get("/articles/x?page=2")
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/articles/x?page=2"


@pytest.mark.parametrize(
    ("path", "size", "refused"),
    [
        ("/login", 64 * 1024 + 1, True),
        ("/articles/x/comments", 64 * 1024 + 1, True),
        ("/login", 60 * 1024, False),
        ("/editor/images/", 2 * 1024 * 1024, False),  # an upload: the app decides
        ("/editor/images/", 16 * 1024 * 1024 + 1, True),
    ],
)
def test_body_limits_match_the_apps(stack, path, size, refused):
    body = b"x=" + b"a" * (size - 2)
    answer = stack.reader().request(
        "POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (answer.status == 413) is refused
    assert stack.logged(answer.headers["X-Request-ID"]) is not refused
