"""Moderation that forgives mistakes: undo the last action, ask again before approving what the
banned-term rule rejected, the rule's words marked, and a rejection that needs its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from newsportal import markup
from newsportal.comments import moderation
from newsportal.extensions import db
from newsportal.models import ModerationAction
from newsportal.text import match_spans

from .comment_helpers import audits, comment_data, comments
from .conftest import PASSWORD
from .test_banned_evasion import EVASIONS


@pytest.fixture
def article(make_article):
    return make_article("Lấy ý kiến về dự thảo quy hoạch", body="Nội dung.")


@pytest.fixture
def pending(app, article):
    """Three pending comments through the real form."""
    app.config["RATELIMIT_ENABLED"] = False
    reader = app.test_client()
    for n, body in enumerate(["Ý kiến thứ nhất", "Ý kiến thứ hai", "Ý kiến thứ ba"]):
        data = comment_data(app, email=f"r{n}@example.org", body=body)
        assert reader.post(f"/articles/{article.slug}/comments", data=data).status_code == 302
    return [c.id for c in comments(app)]


@pytest.fixture
def moderator(auth):
    auth.as_role("moderator")
    return auth.client


def page(client, url="/moderation/"):
    return BeautifulSoup(client.get(url).get_data(as_text=True), "html5lib")


def public(app, article):
    return app.test_client().get(f"/articles/{article.slug}").get_data(as_text=True)


def last_action(app):
    with app.app_context():
        return db.session.scalars(
            db.select(ModerationAction).order_by(ModerationAction.id.desc())
        ).first()


def undo(client, action_id):
    response = client.post(f"/moderation/actions/{action_id}/undo", data={"next": "/moderation/"})
    assert response.status_code == 302
    return page(client, response.headers["Location"])


def flashes(soup):
    return [p.get_text(" ", strip=True) for p in soup.select(".flash")]


def test_a_bulk_approval_is_undone_from_its_banner(app, moderator, article, pending):
    public(app, article)  # the article page is now cached without the comments
    moderator.post("/moderation/bulk", data={"ids": pending, "action": "approve"})
    assert "Ý kiến thứ ba" in public(app, article)
    banner = page(moderator).select_one("#undo-banner")
    assert banner.select_one("[role=status]").get_text() == "Đã duyệt 3 bình luận."
    assert banner.select_one("button").get_text() == "Hoàn tác"
    action = last_action(app)
    assert banner["action"] == f"/moderation/actions/{action.id}/undo"
    after = undo(moderator, action.id)
    assert "Đã hoàn tác: 3 bình luận trở lại như trước." in flashes(after)
    assert after.select_one("#undo-banner") is None
    for comment in comments(app):
        assert (comment.status, comment.moderated_by_id, comment.moderated_at) == (
            "pending",
            None,
            None,
        )
    # The cached article page follows: the content version rose in the undo's transaction.
    page_text = public(app, article)
    assert "Ý kiến thứ ba" not in page_text
    undo_rows = [a for a in audits(app) if a.action_id and a.action_id != action.id]
    assert [(a.from_status, a.to_status) for a in undo_rows] == [("approved", "pending")] * 3
    assert {a.comment_id for a in undo_rows} == set(pending)
    assert last_action(app).undoes_id == action.id


def test_undo_is_refused_after_its_window_which_is_configurable(app, moderator, pending):
    moderator.post("/moderation/act", data={"comment": pending[0], "action": "approve"})
    action = last_action(app)
    with app.app_context():
        db.session.get(ModerationAction, action.id).created_at -= timedelta(minutes=10)
        db.session.commit()
    assert page(moderator).select_one("#undo-banner") is None
    refused = undo(moderator, action.id)
    assert "Đã quá 10 phút để hoàn tác thao tác này: hãy thay đổi từng bình luận." in flashes(
        refused
    )
    assert comments(app)[0].status == "approved"
    app.config["MODERATION_UNDO_MINUTES"] = 30
    moderator.post(
        "/moderation/act", data={"comment": pending[0], "action": "approve"}
    )  # nothing to change: no action
    assert last_action(app).id == action.id
    moderator.post("/moderation/act", data={"comment": pending[1], "action": "approve"})
    assert page(moderator).select_one("#undo-banner") is not None
    undo(moderator, last_action(app).id)
    assert [c.status for c in comments(app)] == ["approved", "pending", "pending"]


def test_undo_twice_or_after_every_comment_changed_does_nothing(app, moderator, pending):
    moderator.post("/moderation/act", data={"comment": pending[0], "action": "approve"})
    action = last_action(app)
    undo(moderator, action.id)
    assert "Thao tác này đã được hoàn tác." in flashes(undo(moderator, action.id))
    assert "Không có thao tác này để hoàn tác." in flashes(undo(moderator, last_action(app).id))
    assert comments(app)[0].status == "pending"
    assert len([a for a in audits(app) if a.actor_id]) == 2
    moderator.post("/moderation/act", data={"comment": pending[1], "action": "approve"})
    action = last_action(app)
    moderator.post(
        "/moderation/act", data={"comment": pending[1], "action": "reject", "reason": "spam"}
    )
    moderator.post(
        "/moderation/act", data={"comment": pending[1], "action": "approve"}
    )  # as the action left it, but
    after = undo(moderator, action.id)  # changed since all the same
    assert "Không hoàn tác được: mọi bình luận của thao tác đó đã được thay đổi sau đó." in flashes(
        after
    )
    assert comments(app)[1].status == "approved"


def test_undo_puts_back_only_what_is_still_as_the_action_left_it(app, moderator, pending):
    moderator.post(
        "/moderation/bulk", data={"ids": pending[:2], "action": "reject", "reason": "off-topic"}
    )
    action = last_action(app)
    assert comments(app)[1].reason == "Không liên quan đến nội dung bài viết"
    moderator.post("/moderation/act", data={"comment": pending[0], "action": "spam"})
    after = undo(moderator, action.id)
    assert "Đã hoàn tác: 1 bình luận trở lại như trước." in flashes(after)
    assert "1 bình luận đã được thay đổi sau đó nên được giữ nguyên." in flashes(after)
    restored = comments(app)[1]
    assert (restored.status, restored.reason, restored.moderated_by_id) == ("pending", "", None)
    assert [c.status for c in comments(app)] == ["spam", "pending", "pending"]


def test_only_its_moderator_or_an_admin_may_undo(app, moderator, make_user, pending):
    moderator.post("/moderation/bulk", data={"ids": pending[:2], "action": "spam"})
    action = last_action(app)
    make_user("moderator", "khac@example.org")
    other = app.test_client()
    other.post("/login", data={"email": "khac@example.org", "password": PASSWORD})
    assert page(other).select_one("#undo-banner") is None
    assert page(other, "/moderation/audit").select(".audit-undo-form") == []
    own = page(moderator, "/moderation/audit").select(".audit-undo-form")
    assert [f["action"] for f in own] == [f"/moderation/actions/{action.id}/undo"]  # 2 rows, 1
    refused = undo(other, action.id)
    assert (
        "Chỉ người đã thực hiện thao tác hoặc quản trị viên mới hoàn tác được thao tác này."
        in flashes(refused)
    )
    assert [c.status for c in comments(app)] == ["spam", "spam", "pending"]
    make_user("admin")
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    (button,) = page(admin, "/moderation/audit").select(".audit-undo-form")
    data = {i["name"]: i["value"] for i in button.select("input[type=hidden]")}
    assert admin.post(button["action"], data=data).status_code == 302
    assert [c.status for c in comments(app)] == ["pending"] * 3
    assert page(admin, "/moderation/audit").select(".audit-undo-form") == []


@pytest.fixture
def banned(app, article, pending):
    """A fourth comment, rejected by the banned-term rule, with markup typed next to the word."""
    with app.app_context():
        moderation.add_rule("banned", "lừa đảo", None)
        moderation.add_rule("suspect", "hối lộ", None)
    body = "<script>alert(1)</script> Toàn lừa đ\u200bảo & hối lộ"
    data = comment_data(app, email="x@example.org", body=body)
    app.test_client().post(f"/articles/{article.slug}/comments", data=data)
    comment = comments(app)[-1]
    assert comment.status == "rejected"
    return comment.id


@pytest.mark.sqlite_only("the desk's pages and forms; the engine is covered above")
def test_approving_a_banned_comment_asks_once_more(app, moderator, banned):
    asked = moderator.post(
        "/moderation/act", data={"comment": banned, "action": "approve", "next": "/moderation/"}
    )
    assert asked.status_code == 200
    soup = BeautifulSoup(asked.get_data(as_text=True), "html5lib")
    assert soup.h1.get_text() == "Duyệt bình luận đã bị từ chối vì chứa từ cấm?"
    assert [li["id"] for li in soup.select("#confirm-list li")] == [f"confirm-{banned}"]
    assert comments(app)[-1].status == "rejected"
    form = soup.select_one("#confirm-form")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert moderator.post(form["action"], data=data).status_code == 302
    approved = comments(app)[-1]
    assert approved.status == "approved"
    undo(moderator, last_action(app).id)
    back = comments(app)[-1]
    assert (back.status, back.reason, back.moderated_by_id) == ("rejected", "banned", None)


@pytest.mark.sqlite_only("the desk's pages and forms; the engine is covered above")
def test_a_bulk_approval_lists_the_banned_ones_and_changes_nothing_yet(
    app, moderator, pending, banned
):
    asked = moderator.post(
        "/moderation/bulk", data={"ids": [*pending, banned], "action": "approve"}
    )
    soup = BeautifulSoup(asked.get_data(as_text=True), "html5lib")
    assert [li["id"] for li in soup.select("#confirm-list li")] == [f"confirm-{banned}"]
    assert "3 bình luận khác đã chọn sẽ được duyệt cùng." in soup.get_text()
    assert {c.status for c in comments(app)} == {"pending", "rejected"}
    hidden = soup.select("#confirm-form input[name=ids]")
    assert sorted(int(i["value"]) for i in hidden) == sorted([*pending, banned])
    moderator.post(
        "/moderation/bulk", data={"ids": [*pending, banned], "action": "approve", "confirm": "y"}
    )
    assert {c.status for c in comments(app)} == {"approved"}


@pytest.mark.sqlite_only("the desk's pages and forms; the engine is covered above")
def test_rule_words_are_marked_and_the_text_stays_escaped(app, moderator, banned):
    soup = page(moderator, "/moderation/?status=rejected")
    body = soup.select_one(f"#q-{banned} .comment-body")
    # The words the rule found; a rejected comment is not also checked for suspect terms.
    assert [m.get_text() for m in body.select("mark")] == ["lừa đ\u200bảo"]
    assert body.select("script") == []
    assert "<script>alert(1)</script>" in body.get_text()
    assert soup.select("script:not([src])") == []


@pytest.mark.sqlite_only("the desk's pages and forms; the engine is covered above")
def test_a_suspect_word_is_marked_in_the_pending_queue(app, moderator, article):
    with app.app_context():
        moderation.add_rule("suspect", "hối lộ", None)
    data = comment_data(app, name="Hối Lộ", body="Có chuyện HOI LO ở xã")
    app.test_client().post(f"/articles/{article.slug}/comments", data=data)
    item = page(moderator).select_one("li.queue-item")
    assert [m.get_text() for m in item.select("mark:not(.flag)")] == ["Hối Lộ", "HOI LO"]


@pytest.mark.sqlite_only("the desk's pages and forms; the engine is covered above")
def test_reject_needs_a_reason_and_keeps_the_selection(app, moderator, pending):
    soup = page(moderator)
    single = soup.select_one(f"#reason-{pending[0]}")
    assert single.has_attr("required")
    assert single.select_one("option")["value"] == ""  # nothing chosen for the moderator
    assert soup.select_one("#bulk-reason option[selected]") is None
    # Without script too, only the reject button of the comment's one form asks for the reason.
    row = soup.select_one(f"#q-{pending[0]} form.queue-actions")
    checks = {b["value"]: not b.has_attr("formnovalidate") for b in row.select("button")}
    assert checks == {"approve": False, "reject": True, "spam": False}
    refused = moderator.post(
        "/moderation/act",
        data={"comment": pending[0], "action": "reject", "next": "/moderation/?q=thứ"},
    )
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.get_data(as_text=True), "html5lib")
    assert soup.select_one("#reason-error").get_text() == "Vui lòng chọn lý do từ chối bình luận."
    assert soup.select_one(f"#reason-{pending[0]}")["aria-invalid"] == "true"
    assert soup.select_one("#bulk-form input[name=next]")["value"] == "/moderation/?q=thứ"
    refused = moderator.post(
        "/moderation/bulk", data={"ids": pending[1:], "action": "reject", "reason": "x"}
    )
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.get_data(as_text=True), "html5lib")
    ticked = [int(box["value"]) for box in soup.select("input[name=ids][checked]")]
    assert ticked == pending[1:]
    assert soup.select_one("#bulk-action option[selected]")["value"] == "reject"
    assert soup.select_one("#bulk-reason")["aria-invalid"] == "true"
    assert {c.status for c in comments(app)} == {"pending"}
    assert len(audits(app)) == 3


@pytest.mark.parametrize("typed", list(EVASIONS.values()), ids=list(EVASIONS))
def test_the_marks_cover_exactly_what_the_rule_saw_through(typed):
    text = f"Toàn {typed} thôi"
    assert match_spans(text, ["lừa đảo"]) == [(5, 5 + len(typed))]
    marked = str(markup.mark_text(text, ["lừa đảo"]))
    assert marked == f"Toàn <mark>{typed}</mark> thôi"


def test_ordinary_words_get_no_mark():
    assert match_spans("Người dân ở Nguyễn Huệ, lửa đỏ", ["ngu", "lừa đảo"]) == []
