"""Hostile bytes on every kind of input: a 400 page, a 404 or a form error, never a 500.

NUL bytes, lone surrogates and invalid UTF-8 in query strings, paths and form bodies; numbers no
database column holds; malformed multipart bodies, odd content types, over-long headers and
URLs, bad Host headers. Plus the body size limits (413 page) and uploads at their full size.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from PIL import Image

from newsportal.extensions import db
from newsportal.models import Comment, PublishedResult
from newsportal.models import Image as StoredImage
from newsportal.pages.demo import sample_pdf

from .comment_helpers import comment_data, comments
from .hostile_helpers import SERVE_ERRORS, Site, build_site

URLENCODED = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from build_site(tmp_path_factory.mktemp("bad-input"), **SERVE_ERRORS)


@pytest.fixture
def _collect_files() -> Iterator[None]:
    yield
    gc.collect()


def files_left_to_gc(test: Any) -> Any:
    """Werkzeug leaves the temporary file of an upload cut short (truncated, or refused at the
    limit) to the garbage collector, which closes it with a ResourceWarning: no lasting leak.
    Collected at the end of the test so the warning is not blamed on a later one."""
    test = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")(test)
    return pytest.mark.usefixtures("_collect_files")(test)


def handled(response: Any) -> None:
    """Not a server error, and any HTML is the site's own page (never a bare traceback)."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    if text.startswith("<!doctype html>") and not 300 <= response.status_code < 400:
        assert '<html lang="vi">' in text


def error_page(response: Any, code: int) -> BeautifulSoup:
    assert response.status_code == code
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.html["lang"] == "vi"
    return page


# Percent-encoded as a browser or an attacker would put them in a URL or a form body.
PAYLOADS = {
    "nul": "ab%00cd",
    "lone-surrogate": "%ED%A0%80",
    "invalid-utf8-ff": "%FF%FE",
    "invalid-utf8-c328": "%C3%28",
    "huge-number": "9" * 30,
    "superscript-digit": "%C2%B2",
    "very-long": "%E1%BB%87" * 5_000,  # "ệ" x 5,000: longer than any field but the bodies
    "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
}

# (role, path, query parameter) for every query parameter a view reads.
QUERY_TARGETS = [
    (None, "/", "page"),
    (None, "/", "lang"),
    (None, "/search", "q"),
    (None, "/search", "page"),
    (None, "/articles/{slug}", "lang"),
    (None, "/categories/thoi-su", "page"),
    (None, "/authors/minh-hang", "page"),
    (None, "/pages/{page_slug}", "kind"),
    (None, "/pages/{page_slug}", "page"),
    (None, "/login", "next"),
    (None, "/feed.xml", "page"),
    ("editor", "/editor/", "state"),
    ("editor", "/editor/", "category"),
    ("editor", "/editor/", "page"),
    ("editor", "/editor/images/", "uploaded"),
    ("editor", "/editor/section/results/", "page"),
    ("moderator", "/moderation/", "status"),
    ("moderator", "/moderation/", "article"),
    ("moderator", "/moderation/", "q"),
    ("moderator", "/moderation/", "page"),
    ("moderator", "/moderation/audit", "actor"),
    ("moderator", "/moderation/audit", "page"),
    ("moderator", "/moderation/audit.csv", "actor"),
]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize(("role", "path", "param"), QUERY_TARGETS)
def test_query_parameters(site: Site, role: str | None, path: str, param: str, payload: str):
    url = path.format(slug=site.slug, page_slug=site.page_slug)
    response = site.client(role).get(f"{url}?{param}={payload}")
    handled(response)


PATH_TARGETS = [
    (None, "/articles/{}"),
    (None, "/articles/{}/print"),
    (None, "/categories/{}"),
    (None, "/authors/{}"),
    (None, "/pages/{}"),
    (None, "/sitemap-{}.xml"),
    (None, "/uploads/{}"),
    (None, "/documents/{}.pdf"),
    (None, "/{}"),
    ("editor", "/editor/articles/{}"),
    ("editor", "/editor/articles/{}/history"),
    ("editor", "/editor/pages/{}"),
    ("editor", "/editor/section/{}/"),
    ("editor", "/editor/section/results/{}"),
    ("editor", "/editor/categories/{}"),
]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize(("role", "path"), PATH_TARGETS)
def test_paths(site: Site, role: str | None, path: str, payload: str):
    response = site.client(role).get(path.format(payload))
    handled(response)
    assert response.status_code in (400, 404)


# (role, path, a valid form, the fields to spoil one at a time)
FORM_TARGETS = [
    (None, "/articles/{slug}/comments", "comment", ["name", "email", "body", "ts", "website"]),
    (None, "/login", {"email": "a@example.org", "password": "x" * 12}, ["email", "password"]),
    (
        "editor",
        "/editor/articles/new",
        {"title": "Tin", "body": "Nội dung"},
        [
            "title",
            "slug",
            "lead",
            "body",
            "byline",
            "category_id",
            "published_at",
            "featured_image_id",
            "featured_image_alt",
            "action",
        ],
    ),
    ("editor", "/editor/preview", {"body": "x"}, ["body"]),
    ("editor", "/editor/categories/", {"name": "Mục"}, ["name", "slug", "position"]),
    (
        "editor",
        "/editor/pages/new",
        {"title": "Trang"},
        ["title", "slug", "body", "parent_id", "position", "block", "reviewed_on", "action"],
    ),
    (
        "editor",
        "/editor/section/schedule/new",
        {
            "starts_at": "2030-01-06T07:30",
            "receiver_title": "Chủ tịch",
            "place": "Trụ sở",
            "mode": "in_person",
            "status": "scheduled",
        },
        ["starts_at", "ends_at", "receiver_title", "place", "mode", "note"],
    ),
    (
        "editor",
        "/editor/section/documents/new",
        {"title": "Luật", "number": "1/2025", "kind": "law", "issued_on": "2025-01-01"},
        ["title", "number", "kind", "issued_on", "effective_on", "url"],
    ),
    (
        "moderator",
        "/moderation/bulk",
        {"ids": "{comment_id}", "action": "reject"},
        ["ids", "action", "reason", "next"],
    ),
    (
        "moderator",
        "/moderation/comments/{comment_id}/reply",
        {"body": "Cảm ơn bạn."},
        ["body", "next"],
    ),
    ("admin", "/moderation/rules", {"kind": "word", "value": "quảng cáo"}, ["kind", "value"]),
]
FORM_CASES = [
    pytest.param(role, path, form, spoilt, payload, id=f"{path}-{spoilt}-{name}")
    for role, path, form, fields in FORM_TARGETS
    for spoilt in fields
    for name, payload in PAYLOADS.items()
]


def encoded_form(site: Site, form: dict[str, str] | str, spoilt: str, payload: str) -> str:
    from urllib.parse import quote

    fields = comment_data(site.app) if form == "comment" else dict(form)
    fields = {k: v.format(comment_id=site.comment_id) for k, v in fields.items()}
    parts = [f"{quote(k)}={quote(v)}" for k, v in fields.items() if k != spoilt]
    return "&".join([*parts, f"{spoilt}={payload}"])


@pytest.mark.parametrize(("role", "path", "form", "spoilt", "payload"), FORM_CASES)
def test_form_fields(site: Site, role, path, form, spoilt, payload):
    url = path.format(slug=site.slug, comment_id=site.comment_id)
    body = encoded_form(site, form, spoilt, payload)
    handled(site.client(role).post(url, data=body, headers=URLENCODED))


def test_nothing_stored_holds_a_nul_or_a_surrogate(site: Site):
    """Runs after the form cases above (same module app): whatever they stored is clean."""
    from newsportal.models import Article, CommentReply, ModerationRule, Page

    texts = []
    with site.app.app_context():
        for model in (Article, Comment, CommentReply, ModerationRule, Page, PublishedResult):
            for row in db.session.scalars(db.select(model)):
                texts += [v for v in vars(row).values() if isinstance(v, str)]
    assert texts
    assert not [t for t in texts if "\x00" in t or any(0xD800 <= ord(c) <= 0xDFFF for c in t)]


RAW_BODIES = {
    "raw-invalid-utf8": (URLENCODED["Content-Type"], b"name=\xff\xfe&body=\xc3\x28"),
    "raw-nul": (URLENCODED["Content-Type"], b"name=a\x00b&body=c\x00d"),
    "multipart-no-boundary": ("multipart/form-data", b"--x\r\nabc"),
    "multipart-wrong-boundary": ("multipart/form-data; boundary=y", b"--x\r\nabc\r\n--x--\r\n"),
    "multipart-truncated": (
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="body"\r\n\r\nabc',
    ),
    "multipart-truncated-file": (
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89PNG",
    ),
    "multipart-bad-header": ("multipart/form-data; boundary=b", b"--b\r\n\xff\xff\r\n\r\n--b--"),
    "json": ("application/json", b'{"name": '),
    "text": ("text/plain", b"\x00\xff"),
    "unknown-charset": ("application/x-www-form-urlencoded; charset=klingon", b"name=%FF"),
    "garbage-type": ("\x7f;;;=", b"name=a"),
}
BODY_TARGETS = [
    (None, "/articles/{slug}/comments"),
    (None, "/login"),
    ("editor", "/editor/articles/new"),
    ("editor", "/editor/images/"),
    ("editor", "/editor/section/results/new"),
    ("moderator", "/moderation/bulk"),
]


@files_left_to_gc
@pytest.mark.parametrize(("content_type", "body"), RAW_BODIES.values(), ids=RAW_BODIES.keys())
@pytest.mark.parametrize(("role", "path"), BODY_TARGETS)
def test_malformed_bodies(site: Site, role, path, content_type, body):
    url = path.format(slug=site.slug)
    handled(site.client(role).post(url, data=body, headers={"Content-Type": content_type}))


HEADERS = {
    "long-user-agent": {"User-Agent": "Mozilla/5.0 " + "x" * 100_000},
    "nul-user-agent": {"User-Agent": "a\x00b\xff"},
    "long-cookie": {"Cookie": "session=" + "a" * 50_000},
    "garbage-cookie": {"Cookie": "session=\xff\x00;;==;"},
    "long-accept-language": {"Accept-Language": "vi," * 20_000},
    "garbage-if-none-match": {"If-None-Match": '"' * 1000},
    "garbage-if-modified-since": {"If-Modified-Since": "\xff" * 100},
    "long-referer": {"Referer": "https://example.org/" + "a" * 50_000},
    "forwarded-for": {"X-Forwarded-For": "\x00" * 100},
    "content-length-lie": {"Content-Length": "99999999999999999999"},
}
HEADER_TARGETS = [
    (None, "GET", "/"),
    (None, "GET", "/articles/{slug}"),
    (None, "POST", "/login"),
    (None, "POST", "/articles/{slug}/comments"),
    ("editor", "GET", "/editor/"),
    ("moderator", "POST", "/moderation/bulk"),
]


@pytest.mark.parametrize("headers", HEADERS.values(), ids=HEADERS.keys())
@pytest.mark.parametrize(("role", "method", "path"), HEADER_TARGETS)
def test_headers(site: Site, role, method, path, headers):
    url = path.format(slug=site.slug)
    handled(site.client(role).open(url, method=method, headers=headers))


BAD_HOSTS = ["a" * 1000, "ex ample.org", "[::1", "example.org:port", "\xff.example.org", ".."]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize(("role", "method", "path"), HEADER_TARGETS)
def test_bad_host(site: Site, role, method, path, host):
    url = path.format(slug=site.slug)
    response = site.client(role).open(url, method=method, headers={"Host": host})
    handled(response)


def test_unusable_host_gets_a_plain_400_page(site: Site):
    """No URL can be built for it, so the page has no menu, but it is still the site's words."""
    page = error_page(site.client(None).get("/", headers={"Host": "a" * 1000}), 400)
    assert page.h1.get_text() == "Yêu cầu không hợp lệ"


@pytest.mark.parametrize("role", [None, "editor"])
def test_very_long_url(site: Site, role):
    handled(site.client(role).get("/articles/" + "%E1%BB%87" * 30_000 + "?q=" + "a" * 100_000))


def test_integers_past_the_database_are_not_found(site: Site):
    """10**30 overflowed SQLite and PostgreSQL integers: a 500 before."""
    editor = site.client("editor")
    assert editor.get("/editor/articles/" + "9" * 30).status_code == 404
    assert editor.get(f"/editor/articles/{2**31}").status_code == 404
    assert editor.get(f"/editor/articles/{site.article_id}").status_code == 200
    assert site.client(None).get("/sitemap-" + "9" * 30 + ".xml").status_code == 404


def test_bulk_ids_ignore_what_is_not_a_number(site: Site):
    """ "²".isdigit() is True but int("²") fails: the bulk form crashed on it."""
    response = site.client("moderator").post(
        "/moderation/bulk", data={"ids": ["²", "9" * 30], "action": "approve"}
    )
    assert response.status_code == 302
    page = site.client("moderator").get(response.location)
    assert "Hãy chọn ít nhất một bình luận." in page.get_data(as_text=True)


# -- The NUL byte on both engines: PostgreSQL refuses it in text, SQLite stores it. ------------


@pytest.mark.parametrize(
    "path", ["/articles/%00", "/categories/a%00", "/pages/%00", "/authors/a%00"]
)
def test_nul_in_a_path_is_a_400_on_every_engine(client: FlaskClient, path):
    error_page(client.get(path), 400)


@pytest.mark.parametrize(
    ("role", "url", "shown"),
    [(None, "/search?q=%C4%91%00ong", "đong"), ("moderator", "/moderation/?q=a%00b", "ab")],
)
def test_nul_in_a_query_is_dropped_on_every_engine(client: FlaskClient, auth, role, url, shown):
    """As form fields drop control characters, so does a query string: the search answers."""
    auth.as_role(role)
    response = client.get(url)
    assert response.status_code == 200
    assert f'value="{shown}"' in response.get_data(as_text=True)


def test_comment_keeps_no_nul_on_every_engine(app, client: FlaskClient, make_article):
    slug = make_article().slug
    data = comment_data(app, name="An\x00 Bình", body="Nội\x00 dung góp ý")
    response = client.post(
        f"/articles/{slug}/comments", data=data, headers={"User-Agent": "Bot\x00/1.0"}
    )
    assert response.status_code == 302
    (saved,) = comments(app)
    assert (saved.name, saved.body, saved.user_agent) == ("An Bình", "Nội dung góp ý", "Bot/1.0")


# -- Body size: the 413 page, and uploads at their full size. ---------------------------------


def multipart(parts: int) -> tuple[bytes, str]:
    body = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nx\r\n' % i for i in range(parts)
    )
    return body + b"--b--\r\n", "multipart/form-data; boundary=b"


def too_large(site: Site, role: str | None, url: str, body: bytes, content_type: str) -> None:
    response = site.client(role).post(url, data=body, headers={"Content-Type": content_type})
    page = error_page(response, 413)
    assert page.h1.get_text() == "Dữ liệu quá lớn"
    assert page.select_one(".site-header")  # the site's layout, with its menu and search
    assert "gửi lại" in page.get_text()  # says what to do next


@files_left_to_gc
@pytest.mark.parametrize(
    ("role", "path", "limit"),
    [
        (None, "/articles/{slug}/comments", "PUBLIC_FORM_MAX_BYTES"),
        (None, "/login", "PUBLIC_FORM_MAX_BYTES"),
        ("editor", "/editor/articles/new", "MAX_FORM_BYTES"),
        ("moderator", "/moderation/bulk", "MAX_FORM_BYTES"),
        ("editor", "/editor/section/results/new", "MAX_CONTENT_LENGTH"),
    ],
)
def test_body_over_the_limit_is_a_413_page(site: Site, role, path, limit):
    url = path.format(slug=site.slug)
    size = site.app.config[limit] + 1
    too_large(site, role, url, b"body=" + b"a" * size, URLENCODED["Content-Type"])
    before = len(comments(site.app))
    # One byte under the limit is read (and then judged by the form, not refused).
    response = site.client(role).post(url, data=b"body=" + b"a" * (size - 7), headers=URLENCODED)
    assert response.status_code != 413
    assert len(comments(site.app)) == before


@files_left_to_gc
@pytest.mark.parametrize(
    ("role", "path"),
    [(None, "/articles/{slug}/comments"), ("editor", "/editor/section/results/new")],
)
def test_too_many_form_parts_is_a_413_page(site: Site, role, path):
    parts = site.app.config["MAX_FORM_PARTS"]
    too_large(site, role, path.format(slug=site.slug), *multipart(parts + 1))
    response = site.client(role).post(
        path.format(slug=site.slug),
        data=multipart(parts - 1)[0],
        headers={"Content-Type": multipart(1)[1]},
    )
    assert response.status_code != 413


@files_left_to_gc
def test_multipart_field_over_the_memory_limit_is_a_413_page(site: Site):
    size = site.app.config["MAX_FORM_MEMORY_SIZE"] + 1
    body = b'--b\r\nContent-Disposition: form-data; name="summary"\r\n\r\n' + b"a" * size
    too_large(
        site,
        "editor",
        "/editor/section/results/new",
        body + b"\r\n--b--\r\n",
        "multipart/form-data; boundary=b",
    )


def test_longest_article_fits_the_form_limit(site: Site):
    """200,000 Vietnamese letters, percent-encoded, are 1.8 MB: within MAX_FORM_BYTES."""
    body = "ệ" * 200_000
    response = site.client("editor").post(
        "/editor/articles/new", data={"title": "Bài dài nhất", "body": body, "action": "save"}
    )
    assert response.status_code == 302
    with site.app.app_context():
        from newsportal.models import Article

        saved = db.session.scalars(db.select(Article).where(Article.title == "Bài dài nhất")).one()
        assert len(saved.body_md) == 200_000


@files_left_to_gc
def test_image_over_the_limit_is_a_form_error(site: Site):
    """The picture form reads the body itself: the editor sees why next to the file field."""
    size = site.app.config["MAX_CONTENT_LENGTH"] + 1
    response = site.client("editor").post(
        "/editor/images/", data=b"file=" + b"a" * size, headers=URLENCODED
    )
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.get_data(as_text=True)


@files_left_to_gc
def test_image_of_the_largest_size_uploads(site: Site):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "PNG")
    limit = site.app.config["IMAGE_MAX_BYTES"]
    data = out.getvalue() + b"\0" * (limit - len(out.getvalue()))  # after IEND: ignored
    assert len(data) == limit
    response = site.client("editor").post(
        "/editor/images/",
        data={"file": (io.BytesIO(data), "anh.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with site.app.app_context():
        assert db.session.scalar(db.select(db.func.count(StoredImage.id))) >= 1


@files_left_to_gc
def test_pdf_of_the_largest_size_uploads(site: Site):
    limit = site.app.config["DOCUMENT_MAX_BYTES"]
    extra = limit - len(sample_pdf("SAMPLE"))
    padded = sample_pdf("SAMPLE" + "x" * extra)  # a longer line keeps every offset right
    padded = sample_pdf("SAMPLE" + "x" * (extra - (len(padded) - limit)))  # numbers grew digits
    assert len(padded) == limit
    response = site.client("editor").post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data={
            "title": "Kết luận",
            "document_number": "99/KL",
            "issued_on": "2026-10-01",
            "kind": "denunciation",
            "pdf": (io.BytesIO(padded), "ket-luan.pdf"),
        },
    )
    assert response.status_code == 302
    with site.app.app_context():
        saved = db.session.scalars(
            db.select(PublishedResult).where(PublishedResult.document_number == "99/KL")
        ).one()
        assert saved.file_size == limit
    assert Path(site.app.config["UPLOAD_FOLDER"], "documents", f"{saved.file_sha256}.pdf").is_file()
