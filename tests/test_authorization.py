"""The authorisation matrix: every route the app registers x {anonymous, moderator, editor,
admin, reporter} x {GET, POST} against the table below. A route without a row fails the test.

SQLite only, one app per module: who may do what is decided by the views and Flask-Login, not
by the database engine, and the whole matrix then runs in seconds (see authz_matrix.py for how
every request starts from the same data, so the cases do not depend on their order).

Adding a route: add its row to EXPECTED, keyed by endpoint name (`flask --app newsportal routes`
lists them). Most rows are a pattern per method, e.g. for an admin-only list with POST actions:

    "users.index": Row(get=ADMINS_ONLY, post=ADMINS_ONLY),
    "users.deactivate": Row(NOBODY, ADMINS_ONLY, lambda w: {"user_id": w.editor_id}),

A cell that fits no pattern is written out: (anonymous, moderator, editor, admin, reporter). URL
parameters come from `World` (authz_matrix.py: users, an article, a category, a comment, a page,
a result PDF, a picture...; add a field and create it in build_world if a new route names
something else). A POST sends a valid CSRF token and `Row.data` (empty by default). A
deactivated user is checked against the anonymous column, so new rows need nothing for that.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from .authz_matrix import (
    ADMINS_ONLY,
    EDITORS_ONLY,
    EDITORS_SCRIPT,
    EVERYONE,
    FORBIDDEN,
    LOGIN,
    MODERATORS_ONLY,
    NOBODY,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PASSWORD,
    REPLIERS,
    ROLES,
    SIGNED_OUT,
    WRITERS,
    WRITERS_SCRIPT,
    Matrix,
    Row,
    open_matrix,
)

EXPECTED: dict[str, Row] = {
    # --- Readers: everything public is the same for every role --------------------------
    "reader.home": Row(get=EVERYONE, post=NOBODY),
    "reader.article": Row(EVERYONE, NOBODY, lambda w: {"slug": w.article_slug}),
    "reader.print_view": Row(EVERYONE, NOBODY, lambda w: {"slug": w.article_slug}),
    "reader.author": Row(EVERYONE, NOBODY, lambda w: {"slug": w.author_slug}),
    "reader.category": Row(EVERYONE, NOBODY, lambda w: {"slug": w.category_slug}),
    "reader.tag": Row(EVERYONE, NOBODY, lambda w: {"slug": w.tag_slug}),
    "comments.submit": Row(NOBODY, EVERYONE, lambda w: {"slug": w.article_slug}),
    "comments.token": Row(get=EVERYONE, post=NOBODY),
    # The most-read beacon: anyone reading may count a view (POST from script, GET from <img>).
    "readership.beacon": Row(EVERYONE, EVERYONE, lambda w: {"article_id": w.article_id}),
    "pages.page": Row(EVERYONE, NOBODY, lambda w: {"slug": w.page_slug}),
    "pages.reception_calendar": Row(get=EVERYONE, post=NOBODY),
    "pages.result_pdf": Row(EVERYONE, NOBODY, lambda w: {"sha": w.result_sha}),
    "media.upload": Row(EVERYONE, NOBODY, lambda w: {"name": w.image_name}),
    "search.search": Row(get=EVERYONE, post=NOBODY),
    "syndication.feed": Row(get=EVERYONE, post=NOBODY),
    "syndication.category_feed": Row(EVERYONE, NOBODY, lambda w: {"slug": w.category_slug}),
    "syndication.tag_feed": Row(EVERYONE, NOBODY, lambda w: {"slug": w.tag_slug}),
    "syndication.sitemap": Row(get=EVERYONE, post=NOBODY),
    "syndication.sitemap_page": Row(EVERYONE, NOBODY, lambda w: {"page": 1}),
    "syndication.robots": Row(get=EVERYONE, post=NOBODY),
    "icons.favicon": Row(get=EVERYONE, post=NOBODY),
    "icons.manifest": Row(get=EVERYONE, post=NOBODY),
    "static": Row(EVERYONE, NOBODY, lambda w: {"filename": "css/site.css"}),
    "healthz": Row(get=EVERYONE, post=NOBODY),
    "healthz_ready": Row(get=EVERYONE, post=NOBODY),
    # Allowed by address, not by role (the test client is 127.0.0.1): tests/test_metrics.py.
    "metrics": Row(get=EVERYONE, post=NOBODY),
    # --- Signing in and out ---------------------------------------------------------------
    "auth.login": Row(get=EVERYONE, post=EVERYONE),  # staff are sent on to their desk
    "auth.logout": Row(get=NOBODY, post=EVERYONE),
    "auth.forgot_password": Row(get=EVERYONE, post=EVERYONE),  # the same answer for all
    "auth.reset_password": Row(EVERYONE, EVERYONE, lambda w: {"token": w.reset_token}),
    # A reader's unsubscribe link: the signed token is the authority, no account or CSRF token
    "mail.unsubscribe": Row(EVERYONE, EVERYONE, lambda w: {"token": w.unsubscribe_token}),
    # --- Editor desk: editors and admins; reporters write, on their own articles only --------
    # (w.article_id is an editor's article: a reporter gets 403 there; their own: test_review.py)
    "editor.index": Row(get=WRITERS, post=NOBODY),
    "editor.new": Row(get=WRITERS, post=WRITERS),
    "editor.edit": Row(EDITORS_ONLY, EDITORS_ONLY, lambda w: {"article_id": w.article_id}),
    "editor.unpublish": Row(NOBODY, EDITORS_ONLY, lambda w: {"article_id": w.article_id}),
    "editor.preview": Row(get=NOBODY, post=WRITERS),
    "editor.preview_article": Row(get=NOBODY, post=WRITERS),
    "editor.autosave": Row(get=NOBODY, post=WRITERS_SCRIPT),
    "editor.autosave_item": Row(NOBODY, EDITORS_SCRIPT, lambda w: {"article_id": w.article_id}),
    "editor.autosave_discard": Row(get=NOBODY, post=WRITERS),
    "editor.autosave_discard_item": Row(
        NOBODY, EDITORS_ONLY, lambda w: {"article_id": w.article_id}
    ),
    "editor.history": Row(EDITORS_ONLY, NOBODY, lambda w: {"article_id": w.article_id}),
    "editor.revision": Row(
        EDITORS_ONLY,
        NOBODY,
        lambda w: {"article_id": w.article_id, "revision_id": w.article_revision_id},
    ),
    "editor.restore": Row(
        NOBODY,
        EDITORS_ONLY,
        lambda w: {"article_id": w.article_id, "revision_id": w.article_revision_id},
    ),
    # Review before publishing: editors judge what reporters submit.
    "editor.review_queue": Row(get=EDITORS_ONLY, post=NOBODY),
    "editor.review": Row(EDITORS_ONLY, NOBODY, lambda w: {"article_id": w.review_article_id}),
    "editor.approve": Row(NOBODY, EDITORS_ONLY, lambda w: {"article_id": w.review_article_id}),
    "editor.send_back": Row(NOBODY, EDITORS_ONLY, lambda w: {"article_id": w.review_article_id}),
    "categories.index": Row(get=EDITORS_ONLY, post=EDITORS_ONLY),
    "categories.edit": Row(EDITORS_ONLY, EDITORS_ONLY, lambda w: {"category_id": w.category_id}),
    "categories.delete": Row(NOBODY, EDITORS_ONLY, lambda w: {"category_id": w.category_id}),
    # Reporters put pictures in their articles too.
    "images.index": Row(get=WRITERS, post=WRITERS),
    "images.upload_json": Row(get=NOBODY, post=WRITERS_SCRIPT),
    "images.library": Row(get=WRITERS_SCRIPT, post=NOBODY),
    "pages_desk.index": Row(get=EDITORS_ONLY, post=NOBODY),
    "pages_desk.new": Row(get=EDITORS_ONLY, post=EDITORS_ONLY),
    "pages_desk.edit": Row(EDITORS_ONLY, EDITORS_ONLY, lambda w: {"page_id": w.page_id}),
    "pages_desk.unpublish": Row(NOBODY, EDITORS_ONLY, lambda w: {"page_id": w.page_id}),
    "pages_desk.autosave": Row(get=NOBODY, post=EDITORS_SCRIPT),
    "pages_desk.autosave_item": Row(NOBODY, EDITORS_SCRIPT, lambda w: {"page_id": w.page_id}),
    "pages_desk.autosave_discard": Row(get=NOBODY, post=EDITORS_ONLY),
    "pages_desk.autosave_discard_item": Row(NOBODY, EDITORS_ONLY, lambda w: {"page_id": w.page_id}),
    "pages_desk.delete": Row(NOBODY, EDITORS_ONLY, lambda w: {"page_id": w.page_id}),
    "pages_desk.history": Row(EDITORS_ONLY, NOBODY, lambda w: {"page_id": w.page_id}),
    "pages_desk.revision": Row(
        EDITORS_ONLY,
        NOBODY,
        lambda w: {"page_id": w.page_id, "revision_id": w.page_revision_id},
    ),
    "pages_desk.restore": Row(
        NOBODY,
        EDITORS_ONLY,
        lambda w: {"page_id": w.page_id, "revision_id": w.page_revision_id},
    ),
    "lists_desk.index": Row(EDITORS_ONLY, NOBODY, lambda w: {"name": "results"}),
    "lists_desk.new": Row(EDITORS_ONLY, EDITORS_ONLY, lambda w: {"name": "results"}),
    "lists_desk.edit": Row(
        EDITORS_ONLY, EDITORS_ONLY, lambda w: {"name": "results", "item_id": w.result_id}
    ),
    "lists_desk.delete": Row(
        NOBODY, EDITORS_ONLY, lambda w: {"name": "results", "item_id": w.result_id}
    ),
    # --- Moderation desk: moderators and admins; replies by any staff; rules by admins ----
    "moderation.queue": Row(get=MODERATORS_ONLY, post=NOBODY),
    # Every comment's form posts here, the comment and action in the form (none sent here).
    "moderation.act": Row(get=NOBODY, post=MODERATORS_ONLY),
    "moderation.bulk": Row(get=NOBODY, post=MODERATORS_ONLY),
    # No action 1 in the world: an allowed role gets the refusal message, nobody else gets near.
    "moderation.undo": Row(NOBODY, MODERATORS_ONLY, lambda w: {"action_id": 1}),
    "moderation.reply": Row(NOBODY, REPLIERS, lambda w: {"comment_id": w.comment_id}),
    "moderation.audit": Row(get=MODERATORS_ONLY, post=NOBODY),
    "moderation.audit_csv": Row(get=MODERATORS_ONLY, post=NOBODY),
    "moderation.rules": Row(get=ADMINS_ONLY, post=ADMINS_ONLY),
    "moderation.delete_rule": Row(NOBODY, ADMINS_ONLY, lambda w: {"rule_id": w.rule_id}),
    # --- Staff accounts: administrators only --------------------------------------------
    "users.index": Row(get=ADMINS_ONLY, post=ADMINS_ONLY),
    "users.edit": Row(ADMINS_ONLY, NOBODY, lambda w: {"user_id": w.editor_id}),
    "users.change_role": Row(NOBODY, ADMINS_ONLY, lambda w: {"user_id": w.editor_id}),
    "users.change_password": Row(NOBODY, ADMINS_ONLY, lambda w: {"user_id": w.editor_id}),
    "users.deactivate": Row(NOBODY, ADMINS_ONLY, lambda w: {"user_id": w.editor_id}),
    "users.activate": Row(NOBODY, ADMINS_ONLY, lambda w: {"user_id": w.deactivated_id}),
    "security.index": Row(get=ADMINS_ONLY, post=NOBODY),
    "security.export": Row(get=ADMINS_ONLY, post=NOBODY),
    # A person's data by email: all POST, so no address lands in a URL
    "personal_data.index": Row(get=ADMINS_ONLY, post=ADMINS_ONLY),
    "personal_data.export": Row(NOBODY, ADMINS_ONLY, lambda w: {"fmt": "json"}),
    "personal_data.erase": Row(get=NOBODY, post=ADMINS_ONLY),
    "personal_data.correct": Row(get=NOBODY, post=ADMINS_ONLY),
}

# Paths only staff may open: anonymous readers must be sent to the login page there.
STAFF_PREFIXES = ("/editor", "/moderation", "/admin")
METHODS = ("GET", "POST")
# Nothing may change on the way to these.
REFUSED = (LOGIN, SIGNED_OUT, FORBIDDEN, NOT_ALLOWED, NOT_FOUND)
CASES = [(e, r, m) for e in EXPECTED for r in ROLES for m in METHODS]
STAFF_PAGES = [e for e, row in EXPECTED.items() if row.get[0] == LOGIN]


@pytest.fixture(scope="module")
def matrix(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Matrix]:
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as env:
        # Module-scoped: conftest's per-test clearing of NEWSPORTAL_* has not run yet.
        for key in [k for k in os.environ if k.startswith("NEWSPORTAL_") and "_TEST_" not in k]:
            env.delenv(key)
        folder = tmp_path_factory.mktemp("authz")
        env.setenv("NEWSPORTAL_INSTANCE_PATH", str(folder / "instance"))
        with open_matrix(folder) as matrix:
            yield matrix
    seconds = time.perf_counter() - started
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # for CI logs and the issue's note
            reporter.write_line(
                f"\nauthorisation matrix: {len(EXPECTED)} routes x {len(ROLES)} roles x "
                f"{len(METHODS)} methods = {len(CASES)} cases, and "
                f"{len(EXPECTED) * len(METHODS)} as a deactivated user; "
                f"{matrix.sent} requests in {seconds:.1f} s"
            )


def urls_of(matrix: Matrix, endpoint: str) -> list[str]:
    """One URL per rule of the endpoint (an endpoint may answer at more than one path)."""
    row = EXPECTED[endpoint]
    args = row.args(matrix.world) if row.args else {}
    urls = []
    for rule in matrix.app.url_map.iter_rules(endpoint):
        built = rule.build(args, append_unknown=False)
        assert built is not None, f"{endpoint}: its row's args {args} do not fill {rule.rule}"
        urls.append(built[1])
    return urls


def test_every_route_has_a_row_and_every_row_a_route(matrix: Matrix) -> None:
    rules: dict[str, list[str]] = {}
    for rule in matrix.app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        rules.setdefault(rule.endpoint, []).append(f"{rule.rule} {' '.join(methods)}")
    missing = sorted(set(rules) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(rules))
    rows = "".join(
        f'    "{e}": Row(get=..., post=...),  # {", ".join(rules[e])}\n' for e in missing
    )
    assert not missing, f"Routes with no row in EXPECTED; say who may use them:\n{rows}"
    assert not stale, f"Rows in EXPECTED for endpoints the app no longer has: {stale}"


@pytest.mark.parametrize(("endpoint", "role", "method"), CASES, ids=["-".join(c) for c in CASES])
def test_matrix(matrix: Matrix, endpoint: str, role: str, method: str) -> None:
    row = EXPECTED[endpoint]
    expected = row.expected(role, method)
    for url in urls_of(matrix, endpoint):
        answer = matrix.send(role, method, url, row.data)
        assert answer.outcome == expected, (
            f"{method} {url} as {role}: expected {expected}, got {answer}"
        )
        if method == "GET" or expected in REFUSED:
            assert not answer.wrote, f"{method} {url} as {role} changed the database"


LISTS_DESK = ("lists_desk.index", "lists_desk.new", "lists_desk.edit", "lists_desk.delete")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["schedule", "documents", "no-such-list"])
def test_every_section_list_is_guarded_like_the_one_in_the_table(
    matrix: Matrix, name: str, role: str
) -> None:
    """The table names the results list; the section's other lists share its URLs and rules.
    An unknown list is a 404, but only for those who may open the desk at all."""
    item = {"schedule": matrix.world.session_id, "documents": matrix.world.document_id}
    for endpoint in LISTS_DESK:
        for rule in matrix.app.url_map.iter_rules(endpoint):
            built = rule.build({"name": name, "item_id": item.get(name, 1)}, append_unknown=False)
            assert built is not None
            for method in METHODS:
                expected = EXPECTED[endpoint].expected(role, method)
                if name not in item and expected == OK:
                    expected = NOT_FOUND
                answer = matrix.send(role, method, built[1])
                assert answer.outcome == expected, (
                    f"{method} {built[1]} as {role}: expected {expected}, got {answer}"
                )


@pytest.mark.parametrize(("endpoint", "method"), [(e, m) for e in EXPECTED for m in METHODS])
def test_a_deactivated_user_gets_what_anonymous_readers_get(
    matrix: Matrix, endpoint: str, method: str
) -> None:
    """An admin signed in while active, then deactivated: the same session is worth nothing."""
    row = EXPECTED[endpoint]
    expected = row.expected("anonymous", method)
    for url in urls_of(matrix, endpoint):
        answer = matrix.send("deactivated", method, url, row.data)
        assert answer.outcome == expected, (
            f"{method} {url} as a deactivated admin: expected {expected}, got {answer}"
        )
        if method == "GET" or expected in REFUSED:
            assert not answer.wrote, f"{method} {url} as a deactivated admin changed the database"


@pytest.mark.parametrize("role", ROLES[1:])
def test_deactivation_ends_a_session_at_once(matrix: Matrix, role: str) -> None:
    desk = "/moderation/" if role == "moderator" else "/editor/"
    assert matrix.send(role, "GET", desk).outcome == OK
    matrix.set_active(f"{role}@example.org", False)
    assert matrix.request(role, "GET", desk).outcome == LOGIN
    assert matrix.request(role, "POST", "/moderation/bulk").outcome == LOGIN
    matrix.set_active(f"{role}@example.org", True)
    assert matrix.request(role, "GET", desk).outcome == OK  # the same cookie, active again


@pytest.mark.parametrize("endpoint", STAFF_PAGES)
def test_staff_pages_send_anonymous_readers_to_login_and_back(
    matrix: Matrix, endpoint: str
) -> None:
    session = matrix.sessions["anonymous"]
    for url in urls_of(matrix, endpoint):
        answer = matrix.send("anonymous", "GET", url)
        assert answer.outcome == LOGIN
        assert answer.location is not None
        client = matrix.app.test_client()
        client.set_cookie(matrix.app.config["SESSION_COOKIE_NAME"], session.cookie)
        response = client.post(
            answer.location,
            data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": session.token},
        )
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == url  # back where they were going
        assert client.get(url).status_code == 200


def test_staff_paths_are_never_open_to_anonymous_readers_in_the_table(matrix: Matrix) -> None:
    """A guard on the table itself: a row cannot quietly make a desk URL public."""
    wrong = []
    for rule in matrix.app.url_map.iter_rules():
        row = EXPECTED.get(rule.endpoint)
        if row is None or not rule.rule.startswith(STAFF_PREFIXES):
            continue
        anonymous = (row.get[0], row.post[0])
        signs_in = {LOGIN, SIGNED_OUT}
        if not signs_in & set(anonymous) or not set(anonymous) <= {*signs_in, NOT_ALLOWED}:
            wrong.append(f"{rule.endpoint} ({rule.rule}): anonymous GET/POST = {anonymous}")
    assert not wrong, "staff URLs must send anonymous readers to the login page:\n" + "\n".join(
        wrong
    )
