"""The moderation desk: who may use it, every action, the audit trail, rules, replies, purge."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from newsportal.comments import moderation
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import Comment, SecurityEvent

from .comment_helpers import audits, comment_data, comments


@pytest.fixture
def article(make_article):
    return make_article("Lấy ý kiến về dự thảo", body="Nội dung.")


@pytest.fixture
def pending(app, client, article):
    """Three pending comments from two readers, submitted through the real form."""
    reader = app.test_client()
    for email, body in [
        ("an@example.org", "Ý kiến thứ nhất"),
        ("an@example.org", "Ý kiến thứ hai"),
        ("binh@example.org", "Ý kiến của Bình"),
    ]:
        response = reader.post(
            f"/articles/{article.slug}/comments", data=comment_data(app, email=email, body=body)
        )
        assert response.status_code == 302
    return [c.id for c in comments(app)]


def public_page(app, article):
    return app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)


DESK_GETS = [
    "/moderation/",
    "/moderation/?status=spam&q=abc&article=1",
    "/moderation/audit",
    "/moderation/audit.csv",
]
# Each action of a comment's own form, and the bulk bar's.
DESK_POSTS = [
    ("/moderation/act", "approve"),
    ("/moderation/act", "reject"),
    ("/moderation/act", "spam"),
    ("/moderation/bulk", "approve"),
]


@pytest.mark.parametrize(
    ("method", "url", "action"),
    [("GET", u, "approve") for u in DESK_GETS] + [("POST", u, a) for u, a in DESK_POSTS],
)
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("editor", 403)])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_desk_is_closed_to_anonymous_and_editors(
    app, auth, client, pending, method, url, action, role, expected
):
    auth.as_role(role)
    data = {"ids": pending, "comment": pending[0], "action": action, "reason": "off-topic"}
    response = client.open(url, method=method, data=data)
    assert response.status_code == expected
    assert {c.status for c in comments(app)} == {"pending"}


@pytest.mark.parametrize("url", DESK_GETS)
@pytest.mark.parametrize("role", ["moderator", "admin"])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_desk_is_open_to_moderators_and_admins(auth, client, pending, url, role):
    auth.as_role(role)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/moderation/act", "/moderation/bulk"])
def test_get_never_changes_anything(app, auth, client, pending, url):
    auth.as_role("moderator")
    response = client.get(
        url, query_string={"ids": pending, "comment": pending[0], "action": "approve"}
    )
    assert response.status_code == 405
    assert {c.status for c in comments(app)} == {"pending"}


def test_queue_is_oldest_first_with_email_flags_and_history(app, auth, client, pending):
    with app.app_context():
        moderation.set_status([pending[0]], "reject", None)
        moderation.add_rule("suspect", "dự thảo", None)
    app.test_client().post(
        "/articles/lay-y-kien-ve-du-thao/comments",
        data=comment_data(app, email="an@example.org", body="Góp ý cho du thao lần nữa"),
    )
    auth.as_role("moderator")
    page = BeautifulSoup(client.get("/moderation/").data, "html5lib")
    items = page.select("li.queue-item")
    texts = [item.select_one(".comment-body").get_text() for item in items]
    assert texts == ["Ý kiến thứ hai", "Ý kiến của Bình", "Góp ý cho du thao lần nữa"]
    assert "an@example.org" in items[0].get_text()
    assert "1 bị từ chối" in items[0].select_one(".history").get_text()
    assert [m.get_text() for m in items[2].select("mark.flag")] == ["suspect:dự thảo"]
    tabs = {a.get_text(" ", strip=True) for a in page.select(".status-tabs a")}
    assert "Chờ duyệt 3" in tabs
    assert "Đã từ chối 1" in tabs
    badge = page.select_one(".staff-nav .badge-count").get_text()
    assert badge == "3"


def test_queue_filters_by_article_and_search(app, auth, client, pending, make_article):
    other = make_article("Bài khác")
    app.test_client().post(
        f"/articles/{other.slug}/comments", data=comment_data(app, body="Bình luận bài khác")
    )
    auth.as_role("moderator")

    def bodies(query):
        page = BeautifulSoup(client.get(f"/moderation/?{query}").data, "html5lib")
        return [el.get_text() for el in page.select("li.queue-item .comment-body")]

    assert bodies(f"article={other.id}") == ["Bình luận bài khác"]
    assert bodies("q=bình") == ["Ý kiến của Bình", "Bình luận bài khác"]
    assert bodies("q=BINH@example.org") == ["Ý kiến của Bình"]


def test_approve_shows_it_at_once_counts_it_and_audits_it_once(app, auth, client, article, pending):
    auth.as_role("moderator")
    assert "Ý kiến của Bình" not in public_page(app, article)
    for _ in range(2):  # approving twice is the same as once
        response = client.post("/moderation/act", data={"comment": pending[2], "action": "approve"})
        assert response.status_code == 302
    page = BeautifulSoup(public_page(app, article), "html5lib")
    assert [c.select_one(".comment-body").get_text() for c in page.select("li.comment")] == [
        "Ý kiến của Bình"
    ]
    assert page.select_one("#comments-heading .count").get_text() == "(1)"
    trail = [(a.comment_id, a.from_status, a.to_status) for a in audits(app) if a.actor_id]
    assert trail == [(pending[2], "pending", "approved")]
    (approved,) = [c for c in comments(app) if c.status == "approved"]
    assert approved.moderated_by_id is not None
    assert approved.moderated_at is not None


def test_reject_with_a_reason_and_undo(app, auth, client, article, pending):
    auth.as_role("moderator")
    client.post(
        "/moderation/act",
        data={"comment": pending[0], "action": "reject", "reason": "wrong-channel"},
    )
    rejected = comments(app)[0]
    assert rejected.status == "rejected"
    assert rejected.reason == "Sai kênh – hướng dẫn khiếu nại/tố cáo"
    assert "Ý kiến thứ nhất" not in public_page(app, article)
    # Approving sends the row's reason list too (one form): it is not the approval's reason.
    data = {"comment": pending[0], "action": "approve", "reason": "off-topic"}
    client.post("/moderation/act", data=data)  # undo
    assert comments(app)[0].status == "approved"
    assert comments(app)[0].reason == ""
    assert "Ý kiến thứ nhất" in public_page(app, article)
    trail = [(a.from_status, a.to_status) for a in audits(app) if a.actor_id]
    assert trail == [("pending", "rejected"), ("rejected", "approved")]


@pytest.mark.parametrize("action", ["approve", "reject", "spam"])
def test_bulk_actions(app, auth, client, pending, action):
    auth.as_role("admin")
    reason = "off-topic" if action == "reject" else ""  # a rejection needs its reason
    response = client.post(
        "/moderation/bulk", data={"ids": pending[:2], "action": action, "reason": reason}
    )
    assert response.status_code == 302
    statuses = [c.status for c in comments(app)]
    expected = {"approve": "approved", "reject": "rejected", "spam": "spam"}[action]
    assert statuses == [expected, expected, "pending"]
    assert len([a for a in audits(app) if a.actor_id]) == 2


@pytest.mark.parametrize(
    "data",
    [
        {"ids": [], "action": "approve"},
        {"ids": ["1"], "action": "delete"},
        {"ids": ["x"], "action": "spam"},
    ],
)
def test_bad_bulk_requests_change_nothing(app, auth, client, pending, data):
    auth.as_role("moderator")
    response = client.post("/moderation/bulk", data=data)
    assert response.status_code == 302
    assert {c.status for c in comments(app)} == {"pending"}


def test_unknown_comment_is_404(auth, client, pending):
    auth.as_role("moderator")
    response = client.post("/moderation/act", data={"comment": 9999, "action": "approve"})
    assert response.status_code == 404


def test_audit_log_page_and_csv_export(app, auth, client, pending):
    auth.as_role("moderator")
    client.post("/moderation/act", data={"comment": pending[0], "action": "spam"})
    client.post("/moderation/act", data={"comment": pending[1], "action": "approve"})
    page = client.get("/moderation/audit?status=spam").get_data(as_text=True)
    assert f"#{pending[0]}" in page
    assert f"#{pending[1]}" not in page
    export = client.get("/moderation/audit.csv")
    assert export.mimetype == "text/csv"
    rows = export.get_data(as_text=True).strip().splitlines()
    assert (
        rows[0] == "time,comment_id,comment,article_id,article,from,to,by,reason,action,action_id"
    )
    assert len(rows) == 1 + 3 + 2  # three created by the system, two decisions
    assert any(",Chờ duyệt,Thư rác,moderator@example.org,," in row for row in rows)
    assert all("an@example.org" not in row for row in rows)
    system_only = client.get("/moderation/audit.csv?actor=0").get_data(as_text=True)
    assert system_only.count(",Hệ thống,") == 3


def test_rules_are_managed_by_admins_only(app, auth, client):
    auth.as_role("moderator")
    assert client.get("/moderation/rules").status_code == 403
    assert (
        client.post("/moderation/rules", data={"kind": "banned", "value": "x"}).status_code == 403
    )
    client.post("/logout")
    auth.as_role("admin")
    client.post("/moderation/rules", data={"kind": "banned", "value": "  Lừa Đảo "})
    client.post("/moderation/rules", data={"kind": "nonsense", "value": "x"})
    (rule,) = moderation_rules(app)
    assert (rule.kind, rule.value) == ("banned", "Lừa Đảo")
    client.post(f"/moderation/rules/{rule.id}/delete")
    assert moderation_rules(app) == []


def moderation_rules(app):
    with app.app_context():
        return moderation.rules()


@pytest.mark.parametrize("role", ["editor", "moderator", "admin"])
def test_official_reply_shows_under_the_comment_with_a_badge(
    app, auth, client, article, pending, role
):
    with app.app_context():
        moderation.set_status([pending[2]], "approve", None)
    auth.as_role(role)
    response = client.post(
        f"/moderation/comments/{pending[2]}/reply",
        data={
            "body": "Ban Biên tập xin trả lời: <b>đã chuyển</b> cơ quan chức năng.",
            "next": f"/articles/{article.slug}#comment-{pending[2]}",
        },
    )
    assert response.headers["Location"] == f"/articles/{article.slug}#comment-{pending[2]}"
    page = BeautifulSoup(public_page(app, article), "html5lib")
    reply = page.select_one(f"#comment-{pending[2]} .official-reply")
    assert reply.select_one(".badge-official").get_text() == (
        "Ban Biên tập trả lời bạn đọc Nguyễn Thị Mai"
    )
    assert reply.select_one(".comment-body").get_text() == (
        "Ban Biên tập xin trả lời: <b>đã chuyển</b> cơ quan chức năng."
    )


def test_pending_comments_cannot_be_answered_and_readers_cannot_reply(app, auth, client, pending):
    assert (
        client.post(f"/moderation/comments/{pending[0]}/reply", data={"body": "x" * 10}).status_code
        == 302
    )
    auth.as_role("editor")
    client.post(f"/moderation/comments/{pending[0]}/reply", data={"body": "Trả lời sớm"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 3
        assert all(
            not c.replies
            for c in db.session.scalars(
                db.select(Comment).options(db.selectinload(Comment.replies))
            )
        )


def test_purge_deletes_old_spam_and_rejected_only(app, runner, pending):
    with app.app_context():
        moderation.set_status([pending[0]], "spam", None)
        moderation.set_status([pending[1]], "reject", None)
        for row in db.session.scalars(db.select(Comment)):
            row.created_at = row.created_at - timedelta(days=45)
        db.session.commit()
    result = runner.invoke(args=["comments", "purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "deleted 2" in result.output
    assert [c.status for c in comments(app)] == ["pending"]
    assert runner.invoke(args=["comments", "purge", "--older-than", "0"]).exit_code != 0


def test_moderation_queue_query_count_does_not_grow(
    app, auth, client, article, make_article, count_queries, monkeypatch
):
    app.config["RATELIMIT_ENABLED"] = False
    other = make_article("Bài thứ hai")
    reader = app.test_client()

    def send(numbers):
        for n in numbers:
            data = comment_data(app, email=f"r{n}@example.org", body=f"Ý kiến {n}")
            reader.post(f"/articles/{(article, other)[n % 2].slug}/comments", data=data)

    urls = []
    built = app.url_for

    def counted(endpoint, **values):
        urls.append(endpoint)
        return built(endpoint, **values)

    monkeypatch.setattr(app, "url_for", counted)
    monkeypatch.setitem(app.jinja_env.globals, "url_for", counted)
    send(range(3))
    auth.as_role("moderator")
    client.get("/moderation/")  # the session's CSRF token is made once, on the first form
    urls.clear()
    few = count_queries(lambda: client.get("/moderation/"))
    few_urls = len(urls)
    send(range(3, 30))
    urls.clear()
    many = count_queries(lambda: client.get("/moderation/"))
    assert few == many == 4  # the user, the tab counts, the page with its history, the menu
    assert len(urls) == few_urls  # one link per article shown, one action URL for every row
    page = BeautifulSoup(client.get("/moderation/").data, "html5lib")
    assert len(page.select("li.queue-item")) == 30


def test_each_comment_has_one_form_whose_buttons_name_the_action(app, auth, client, pending):
    auth.as_role("moderator")
    page = BeautifulSoup(client.get("/moderation/?lang=en").data, "html5lib")
    items = page.select("li.queue-item")
    assert len(items) == 3
    for item, comment_id in zip(items, pending, strict=True):
        (form,) = item.select("form")
        assert (form["method"], form["action"]) == ("post", "/moderation/act")
        fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        assert fields["comment"] == str(comment_id)
        assert fields["csrf_token"]
        assert fields["next"] == "/moderation/?lang=en"
        buttons = [(b["name"], b["value"], b.get_text()) for b in form.select("button")]
        assert buttons == [
            ("action", "approve", "Approve"),
            ("action", "reject", "Reject"),
            ("action", "spam", "Spam"),
        ]
        assert form.select_one("select[name=reason]")["id"] == f"reason-{comment_id}"
    # Besides the rows: site search, sign-out, the filters and the bulk bar.
    assert len(page.select("form")) == len(items) + 4
    assert page.select_one("#bulk-form")["action"] == "/moderation/bulk"
    client.post("/moderation/act", data={"comment": pending[0], "action": "approve"})
    approved = BeautifulSoup(client.get("/moderation/?status=approved").data, "html5lib")
    (form,) = approved.select(f"#q-{pending[0]} form")
    assert [b["value"] for b in form.select("button")] == ["reject", "spam"]


def test_reading_the_queue_does_not_sign_the_session_again(app, auth, client, pending):
    auth.as_role("moderator")
    with client.session_transaction() as session:
        assert session["csrf_token"]  # made at sign-in, not by the first page with a form
    client.get("/moderation/")  # shows the welcome message once: that one changes the session
    for _ in range(2):
        response = client.get("/moderation/")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    client.get("/moderation/?lang=en")  # a language chosen is written once...
    response = client.get("/moderation/?lang=en")  # ...not again by each link that keeps it
    assert "Set-Cookie" not in response.headers
    assert "Approve" in response.get_data(as_text=True)
    # Still signed in, still able to act, with the token the page carries.
    page = BeautifulSoup(client.get("/moderation/").data, "html5lib")
    with client.session_transaction() as session:
        assert session["_user_id"]
    assert page.select_one(f"#q-{pending[0]} input[name=csrf_token]")["value"]


def test_a_comment_form_without_a_comment_or_action_changes_nothing(app, auth, client, pending):
    auth.as_role("moderator")
    for data in [
        {"action": "approve"},
        {"comment": "x", "action": "approve"},
        {"comment": pending[0], "action": "delete"},
        {"comment": pending[0]},
    ]:
        response = client.post("/moderation/act", data={**data, "next": "/moderation/?q=a"})
        assert (response.status_code, response.location) == (302, "/moderation/?q=a")
    assert {c.status for c in comments(app)} == {"pending"}


def test_big_queues_count_up_to_a_cap_and_still_page(app, auth, client, article, monkeypatch):
    app.config["RATELIMIT_ENABLED"] = False
    app.config["MODERATION_PER_PAGE"] = 2
    monkeypatch.setattr(moderation, "COUNT_CAP", 3)
    reader = app.test_client()
    for n in range(5):
        data = comment_data(app, email=f"r{n}@example.org", body=f"Ý kiến số {n}")
        reader.post(f"/articles/{article.slug}/comments", data=data)
    auth.as_role("moderator")
    first = BeautifulSoup(client.get("/moderation/").data, "html5lib")
    assert "Chờ duyệt 3+" in {a.get_text(" ", strip=True) for a in first.select(".status-tabs a")}
    assert first.select_one(".staff-nav .badge-count").get_text() == "3+"
    third = BeautifulSoup(client.get("/moderation/?page=3").data, "html5lib")
    assert [el.get_text() for el in third.select("li.queue-item .comment-body")] == ["Ý kiến số 4"]
    assert third.select_one(".pagination a[rel=next]") is None
    second = BeautifulSoup(client.get("/moderation/?page=2").data, "html5lib")
    assert second.select_one(".pagination a[rel=next]")["href"].endswith("page=3")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda ids: moderation.set_status(ids, "publish-everything", None), ("action", "action")),
        (lambda ids: moderation.set_status([], "approve", None), ("ids", "none")),
        (lambda ids: moderation.add_rule("blocked_country", "vn", None), ("kind", "kind")),
        (lambda ids: moderation.add_rule("banned", "   ", None), ("value", "value")),
    ],
    ids=["unknown-action", "no-comment-ticked", "unknown-rule-kind", "blank-word"],
)
def test_a_moderation_call_that_makes_no_sense_changes_nothing(app, pending, call, error):
    trail = len(audits(app))
    with app.app_context():
        with pytest.raises(FieldError) as refused:
            call(pending)
        assert (refused.value.field, refused.value.code) == error
        db.session.rollback()
        assert moderation.rules() == []
    assert {c.status for c in comments(app)} == {"pending"}
    assert len(audits(app)) == trail


def test_a_reply_needs_an_approved_comment_and_some_words(app, pending):
    with app.app_context():
        comment = db.session.get(Comment, pending[0])
        with pytest.raises(FieldError) as refused:
            moderation.reply(comment, None, "Cảm ơn bạn đã góp ý.")
        assert (refused.value.field, refused.value.code) == ("comment", "not_approved")
        moderation.set_status([comment.id], "approve", None)
        with pytest.raises(FieldError) as refused:
            moderation.reply(comment, None, " . ")
        assert (refused.value.field, refused.value.code) == ("value", "value")
        moderation.delete_rule(987654)  # gone already (another moderator): nothing to do
        assert moderation.rules() == []


def test_blocking_an_email_or_address_keeps_no_raw_address_and_twice_is_once(app):
    with app.app_context():
        email = moderation.add_rule("blocked_email", "An.Nguyen@Example.ORG", None)
        address = moderation.add_rule("blocked_ip", "203.0.113.7", None, secret="k" * 32)
        again = moderation.add_rule("blocked_ip", "203.0.113.7", None, secret="k" * 32)
        assert email.value == "an.nguyen@example.org"
        assert again.id == address.id
        assert len(address.value) == 64
        assert "203.0.113.7" not in address.value
        kept = {(rule.kind, rule.value) for rule in moderation.rules()}
        assert kept == {("blocked_email", email.value), ("blocked_ip", address.value)}
        details = db.session.scalars(db.select(SecurityEvent.detail)).all()
        assert sorted(details) == [f"blocked_email #{email.id}", f"blocked_ip #{address.id}"]
