"""Hypothesis over every public form and query parameter, and the staff forms: no 5xx, and no
stored HTML outside markup.py's allow-lists.

Deterministic (derandomize: the same examples on every run and in CI) and fast: one seeded
SQLite app for the module (see hostile_helpers for why SQLite only), rate limits and the
too-fast check off so every example reaches the code under test. The examples run per target
are printed at the end of the module for the lead to quote.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsportal import markup
from newsportal.extensions import db
from newsportal.models import Article, Comment, CommentReply, Page

from .comment_helpers import comment_data
from .hostile_helpers import SERVE_ERRORS, Site, build_site

PUBLIC_EXAMPLES = 40
STAFF_EXAMPLES = 25
QUERY_EXAMPLES = 8  # per route and parameter
# Hundreds of generated sends through routes the rest of the suite covers line by line: not
# traced for coverage, which would double their time and add no covered line.
pytestmark = pytest.mark.no_cover

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COUNTS: Counter[str] = Counter()

VIETNAMESE = [
    "Đồng Tháp",
    "Nghị quyết 68",
    "khiếu nại, tố cáo",
    "Cao Lãnh",
    "người dân",
    "ĐỒNG THÁP",
    "đường 30/4",
    "Ủy ban nhân dân",
    "ệ",
    "ữ",
]
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  jav&#x09;ascript:alert(1)">y</a>',
    '"><svg onload=alert(1)>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "[x](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    '<p style="color:red" onclick="x()">z</p>',
    "<math><mi xlink:href=javascript:alert(1)>m</mi></math>",
    "<<script>script>alert(1)<</script>/script>",
    "<!-- <script>x</script> -->",
    "<form action=//evil><button>go</button></form>",
    '<object data="x.swf"></object><embed src="x">',
    "<base href=//evil/><meta http-equiv=refresh content=0>",
    "{{ 7*7 }} {% raw %}",
]
ODD = [
    "\x00",
    "\ud800",
    "\udfff",
    "\u202e",
    "\ufeff",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u0301",
    "%00",
    "%ED%A0%80",
    "\U0001f600",
    "ﷺ",
    "\u200b",
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


hostile_text = st.one_of(
    st.text(max_size=80),
    st.text(st.characters(codec=None, categories=["Cc", "Cs", "Mn", "Zs", "Cf"]), max_size=20),
    st.sampled_from(XSS),
    st.sampled_from(VIETNAMESE).map(nfd),
    st.lists(st.sampled_from(VIETNAMESE + XSS + ODD), min_size=1, max_size=12).map(" ".join),
    st.sampled_from([301, 3_001, 20_001]).map(lambda n: "ệ" * n),  # past the field limits
)


def encode(fields: dict[str, str]) -> str:
    """What a browser (or a script) sends, lone surrogates as the bytes UTF-8 would give them."""
    return "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in fields.items()
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from build_site(tmp_path_factory.mktemp("fuzz"), **SERVE_ERRORS)


def served(response: Any, target: str) -> None:
    COUNTS[target] += 1
    assert response.status_code < 500, f"{target}: {response.status_code}"


def allow_list_breaches(
    html: str, tags: frozenset[str], attributes: dict[str, list[str]], protocols: frozenset[str]
) -> list[str]:
    root = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    for element in root.iter():
        if element is root or not isinstance(element.tag, str):
            continue
        if element.tag not in tags:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name not in attributes.get(element.tag, []):
                found.append(f"<{element.tag} {name}>")
            scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
            if name in ("href", "src") and "/" not in scheme and scheme and scheme not in protocols:
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def check_latest(site: Site, model: Any) -> None:
    """The newest row of `model` holds only allowed HTML."""
    with site.app.app_context():
        html = db.session.scalars(db.select(model.body_html).order_by(model.id.desc())).first()
    if model in (Comment, CommentReply):
        breaches = allow_list_breaches(
            html or "", markup.COMMENT_TAGS, markup.COMMENT_ATTRIBUTES, markup.COMMENT_PROTOCOLS
        )
    else:
        breaches = allow_list_breaches(
            html or "", markup.ARTICLE_TAGS, markup.ARTICLE_OUTPUT_ATTRIBUTES, markup.PROTOCOLS
        )
    assert not breaches, breaches


def post(site: Site, role: str | None, url: str, fields: dict[str, str]) -> Any:
    return site.client(role).post(
        url, data=encode(fields), content_type="application/x-www-form-urlencoded"
    )


# -- public ---------------------------------------------------------------------------------


@settings(FUZZ, max_examples=PUBLIC_EXAMPLES)
@given(name=hostile_text, body=hostile_text, email=hostile_text)
def test_comment_form(site: Site, name: str, body: str, email: str):
    base = comment_data(site.app)
    for fields in ({**base, "name": name, "body": body}, {**base, "email": email}):
        response = post(site, None, f"/articles/{site.slug}/comments", fields)
        served(response, "POST comment")
        if response.status_code == 302:
            check_latest(site, Comment)
    # The next example is another reader: one cookie collecting every example's comments and
    # messages would make each post slower than the last.
    site.client(None).delete_cookie(site.app.config["SESSION_COOKIE_NAME"])


@settings(FUZZ, max_examples=PUBLIC_EXAMPLES)
@given(email=hostile_text, password=hostile_text)
def test_login_form(site: Site, email: str, password: str):
    served(post(site, None, "/login", {"email": email, "password": password}), "POST login")


@settings(FUZZ, max_examples=PUBLIC_EXAMPLES)
@given(email=hostile_text)
def test_forgotten_password_form(site: Site, email: str):
    served(post(site, None, "/login/forgot", {"email": email}), "POST forgotten password")


# Every public GET route (from app.url_map), with the query parameters its view reads and the
# URL the fuzz opens for it. `lang` is read on every page (i18n.remember_language_choice).
PUBLIC_QUERIES: dict[str, tuple[str, list[str]]] = {
    "/": ("/", ["page"]),
    "/search": ("/search", ["q", "page"]),
    "/articles/<slug>": ("/articles/{slug}", []),
    "/articles/<slug>/print": ("/articles/{slug}/print", []),
    "/categories/<slug>": ("/categories/thoi-su", ["page"]),
    "/categories/<slug>/feed.xml": ("/categories/thoi-su/feed.xml", []),
    "/authors/<slug>": ("/authors/minh-hang", ["page"]),
    "/tags/<slug>": ("/tags/lua-thu-dong", ["page"]),
    "/tags/<slug>/feed.xml": ("/tags/lua-thu-dong/feed.xml", []),
    "/pages/<slug>": ("/pages/{page_slug}", ["kind", "page"]),
    "/pages/lich-tiep-cong-dan.ics": ("/pages/lich-tiep-cong-dan.ics", []),
    "/login": ("/login", ["next"]),
    "/login/forgot": ("/login/forgot", []),
    "/login/reset/<token>": ("/login/reset/khong-phai-ma", []),
    "/mail/unsubscribe/<token>": ("/mail/unsubscribe/khong-phai-ma", []),
    "/feed.xml": ("/feed.xml", []),
    "/sitemap.xml": ("/sitemap.xml", []),
    "/sitemap-<int:page>.xml": ("/sitemap-1.xml", []),
    "/robots.txt": ("/robots.txt", []),
    "/site.webmanifest": ("/site.webmanifest", []),
    "/comments/token": ("/comments/token", []),
    "/r/<int:article_id>": ("/r/1", []),
    "/healthz": ("/healthz", []),
    "/healthz/ready": ("/healthz/ready", []),
    "/metrics": ("/metrics", []),
}
# Files, not pages: their names are fuzzed in test_bad_input (paths), they read no query.
FILE_ROUTES = {"/favicon.ico", "/static/<path:filename>", "/uploads/<name>", "/documents/<sha>.pdf"}
QUERIES = [(url, param) for url, params in PUBLIC_QUERIES.values() for param in [*params, "lang"]]


@pytest.mark.parametrize(("path", "param"), QUERIES)
@settings(FUZZ, max_examples=QUERY_EXAMPLES)
@given(value=hostile_text)
def test_public_query_parameters(site: Site, path: str, param: str, value: str):
    url = path.format(slug=site.slug, page_slug=site.page_slug) + f"?{encode({param: value})}"
    served(site.client(None).get(url), f"GET {path.split('?')[0]}?{param}=")


def test_every_public_route_is_fuzzed(site: Site):
    """A public GET route added to the app without an entry above fails here."""
    public = {
        rule.rule
        for rule in site.app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and not rule.rule.startswith(("/editor", "/moderation", "/admin"))
    }
    assert public == set(PUBLIC_QUERIES) | FILE_ROUTES


# -- staff ----------------------------------------------------------------------------------


@settings(FUZZ, max_examples=STAFF_EXAMPLES)
@given(title=hostile_text, lead=hostile_text, body=hostile_text, byline=hostile_text)
def test_article_form(site: Site, title: str, lead: str, body: str, byline: str):
    fields = {
        "title": title,
        "lead": lead,
        "body": body,
        "byline": byline,
        "action": "publish",
        "featured_image_alt": title,
        "featured_image_caption": lead,
    }
    response = post(site, "editor", "/editor/articles/new", fields)
    served(response, "POST editor article")
    if response.status_code == 302:
        check_latest(site, Article)
    served(post(site, "editor", "/editor/preview", {"body": body}), "POST editor preview")


@settings(FUZZ, max_examples=STAFF_EXAMPLES)
@given(title=hostile_text, lead=hostile_text, body=hostile_text)
def test_page_form(site: Site, title: str, lead: str, body: str):
    fields = {
        "title": title,
        "lead": lead,
        "body": body,
        "parent_id": "None",
        "position": "0",
        "block": "",
        "action": "publish",
    }
    response = post(site, "editor", "/editor/pages/new", fields)
    served(response, "POST editor page")
    if response.status_code == 302:
        check_latest(site, Page)


@settings(FUZZ, max_examples=STAFF_EXAMPLES)
@given(a=hostile_text, b=hostile_text)
def test_section_and_category_forms(site: Site, a: str, b: str):
    lists = {
        "schedule": {
            "starts_at": "2030-01-06T07:30",
            "receiver_title": a,
            "receiver_name": b,
            "place": a,
            "mode": "in_person",
            "status": "scheduled",
            "note": b,
        },
        "documents": {
            "title": a,
            "number": b,
            "kind": "law",
            "issued_on": "2025-01-01",
            "note": a,
            "url": b,
        },
        "results": {
            "title": a,
            "document_number": b,
            "issued_on": "2025-01-01",
            "kind": "complaint",
            "summary": a,
            "url": b,
        },
    }
    for name, fields in lists.items():
        response = post(site, "editor", f"/editor/section/{name}/new", fields)
        served(response, f"POST editor section {name}")
    served(
        post(site, "editor", "/editor/categories/", {"name": a, "slug": b, "position": "1"}),
        "POST editor category",
    )


@pytest.fixture(scope="module")
def target_account(site: Site) -> int:
    """An account nobody signs in with, so a fuzzed new password ends no session the fuzz uses."""
    from newsportal.auth.services import create_user

    with site.app.app_context():
        return create_user(
            "dich@example.org", "Tài khoản đích", "editor", "ba-con-cá-bơi-qua-sông"
        ).id


@settings(FUZZ, max_examples=STAFF_EXAMPLES)
@given(name=hostile_text, email=hostile_text, password=hostile_text)
def test_staff_account_forms(site: Site, target_account: int, name: str, email: str, password: str):
    fields = {"name": name, "email": email, "role": "moderator", "password": password}
    served(post(site, "admin", "/admin/users/", fields), "POST new account")
    url = f"/admin/users/{target_account}"
    served(post(site, "admin", f"{url}/password", {"password": password}), "POST account password")
    served(post(site, "admin", f"{url}/role", {"role": name}), "POST account role")


@settings(FUZZ, max_examples=STAFF_EXAMPLES)
@given(body=hostile_text, reason=hostile_text, ids=hostile_text, query=hostile_text)
def test_moderation_forms(site: Site, body: str, reason: str, ids: str, query: str):
    with site.app.app_context():
        comment = db.session.get(Comment, site.comment_id)
        comment.status = "approved"  # only an approved comment can be answered
        db.session.commit()
    url = f"/moderation/comments/{site.comment_id}/reply"
    response = post(site, "moderator", url, {"body": body, "next": reason})
    served(response, "POST moderation reply")
    check_latest(site, CommentReply) if response.status_code == 302 else None
    fields = {"ids": ids, "action": "reject", "reason": reason}
    served(post(site, "moderator", "/moderation/bulk", fields), "POST moderation bulk")
    fields = {"comment": ids, "action": query, "reason": reason, "next": body}
    served(post(site, "moderator", "/moderation/act", fields), "POST moderation act")
    served(
        post(site, "admin", "/moderation/rules", {"kind": "word", "value": body}),
        "POST moderation rule",
    )


STAFF_QUERIES = [
    ("editor", "/editor/", ["state", "category", "page"]),
    ("editor", "/editor/images/", ["uploaded"]),
    ("editor", "/editor/pages/", ["page"]),
    ("editor", "/editor/section/results/", ["page"]),
    ("moderator", "/moderation/", ["q", "status", "article", "page"]),
    ("moderator", "/moderation/audit", ["status", "actor", "page"]),
    ("moderator", "/moderation/audit.csv", ["status", "actor"]),
]


@pytest.mark.parametrize(("role", "path", "params"), STAFF_QUERIES)
@settings(FUZZ, max_examples=QUERY_EXAMPLES)
@given(value=hostile_text)
def test_staff_query_parameters(site: Site, role: str, path: str, params: list[str], value: str):
    url = f"{path}?{encode(dict.fromkeys(params, value))}"
    served(site.client(role).get(url), f"GET {path}?{'&'.join(params)}=")


def test_all_stored_html_is_within_the_allow_lists(site: Site, capsys: pytest.CaptureFixture):
    """Last in the module: every HTML column of every row the fuzz left, then the counts."""
    checked = 0
    with site.app.app_context():
        for model, lists in (
            (Comment, (markup.COMMENT_TAGS, markup.COMMENT_ATTRIBUTES, markup.COMMENT_PROTOCOLS)),
            (
                CommentReply,
                (markup.COMMENT_TAGS, markup.COMMENT_ATTRIBUTES, markup.COMMENT_PROTOCOLS),
            ),
            (Article, (markup.ARTICLE_TAGS, markup.ARTICLE_OUTPUT_ATTRIBUTES, markup.PROTOCOLS)),
            (Page, (markup.ARTICLE_TAGS, markup.ARTICLE_OUTPUT_ATTRIBUTES, markup.PROTOCOLS)),
        ):
            for html in db.session.scalars(db.select(model.body_html)):
                assert not allow_list_breaches(html, *lists)
                checked += 1
    COUNTS["stored HTML rows checked"] = checked
    with capsys.disabled():
        print()
        for target, count in sorted(COUNTS.items()):
            print(f"fuzz examples  {target:<36} {count}")
    assert checked > 50
