"""The privacy note ("Bảo vệ dữ liệu cá nhân"): its parties and periods come from configuration,
the same settings the retention job reads, and every right of the data subject is listed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import frontmatter
import pytest

from newsportal import create_app
from newsportal.comments import retention
from newsportal.config import DEFAULTS, UnsafeConfiguration

from .page_helpers import make_page, soup

pytestmark = pytest.mark.sqlite_only("configuration and a demo page, whatever the database")

NOTE = (
    Path(__file__).resolve().parent.parent
    / "newsportal/demo_content/pages/10-bao-ve-du-lieu-ca-nhan.md"
)
SLUG = "bao-ve-du-lieu-ca-nhan"
SAMPLE = "Thông tin mẫu - cần cơ quan xác nhận"

CONFIRMED = {
    "controller": {
        "name": "Ủy ban nhân dân tỉnh Thử Nghiệm",
        "address": "Số 1, đường Thử, phường Thử Một, tỉnh Thử Nghiệm",
        "phone": "0299 1 000 001",
        "email": "ubnd@thunghiem.gov.vn",
    },
    "processor": None,  # the agency hosts the site itself
    "contact": {
        "name": "Tổ bảo vệ dữ liệu cá nhân",
        "address": "Số 2, đường Thử, phường Thử Một, tỉnh Thử Nghiệm",
        "phone": "0299 1 000 002",
        "email": "dlcn@thunghiem.gov.vn",
    },
    "sample": [],
}
SETTINGS = {
    "defaults": {"PRIVACY": DEFAULTS["PRIVACY"]},
    "confirmed": {
        "PRIVACY": CONFIRMED,
        "COMMENT_PURGE_DAYS": 7,
        "USER_AGENT_KEEP_DAYS": 0,
        "SECURITY_EVENTS_KEEP_DAYS": 180,
    },
}

RIGHTS = [
    "được biết về việc xử lý",
    "đồng ý hoặc không đồng ý",
    "rút lại sự đồng ý",
    "nhận bản sao",
    "chỉnh sửa",
    "yêu cầu xóa",
    "hạn chế xử lý",
    "phản đối",
    "khiếu nại, tố cáo, khởi kiện",
    "bồi thường thiệt hại",
]


@pytest.fixture(params=list(SETTINGS))
def settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    return copy.deepcopy(SETTINGS[request.param])


@pytest.fixture
def app_config(app_config: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, **settings}


@pytest.fixture
def note(app):
    """The demo's privacy page as `demo load` writes it, and nothing else of the demo."""
    post = frontmatter.load(str(NOTE))
    make_page(app, str(post["title"]), slug=SLUG, lead=str(post["lead"]), body_md=post.content)
    return post


def words(node: Any) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_note_shows_the_configured_parties_and_every_right(app, client, note, settings):
    page = soup(client.get(f"/pages/{SLUG}")).select_one(".info-page")
    text = words(page)
    assert [r for r in RIGHTS if r not in text] == []
    for stored in ("User-Agent", "mã băm", "lịch sử duyệt", "đồng ý"):
        assert stored in text
    assert "02 ngày làm việc" in text
    assert "15 ngày" in text
    privacy = settings["PRIVACY"]
    for key in ("controller", "processor", "contact"):
        card = page.select_one(f"[data-party={key}]")
        party = privacy[key]
        if party is None:
            assert "cơ quan tự vận hành" in words(card)
            assert card.select("[data-field]") == []
            continue
        shown = {dd["data-field"]: words(dd) for dd in card.select("[data-field]")}
        assert shown == {f: party[f] for f in ("name", "address", "phone", "email")}
        assert card.select_one("[data-field=email] a")["href"] == f"mailto:{party['email']}"
    roles = {"controller": "bên kiểm soát dữ liệu", "processor": "bên xử lý dữ liệu"}
    roles["contact"] = "đầu mối bảo vệ dữ liệu cá nhân"
    banners = [words(n) for n in page.select(".privacy-facts [role=note]")]
    if privacy["sample"]:
        assert banners == [f"{SAMPLE}: " + ", ".join(roles[k] for k in privacy["sample"])]
    else:
        assert banners == []


def test_the_note_shows_the_periods_the_retention_job_keeps(app, client, note):
    periods = retention.periods_from(app.config)
    page = soup(client.get(f"/pages/{SLUG}"))
    kept = {row["data-kept"]: words(row.select("td")[1]) for row in page.select("[data-kept]")}

    def said(days: int) -> str:
        return f"Xóa sau {days} ngày" if days else "Xóa trong vòng một giờ"

    assert kept["rejected"] == said(periods.comment_days)
    assert kept["user_agent"] == said(periods.user_agent_days)
    assert kept["security_log"] == said(periods.security_days)
    assert kept["mail"] == said(periods.mail_days)
    assert {"pending", "approved"} <= set(kept)


def test_the_note_s_labels_follow_the_interface_language(app, client, note):
    page = soup(client.get(f"/pages/{SLUG}?lang=en")).select_one(".privacy-facts")
    assert [h.get_text(strip=True) for h in page.select("h3")] == [
        "Data controller",
        "Data processor",
        "Data-protection contact point",
    ]
    assert page.select_one("[data-kept=pending] td").get_text(strip=True) == (
        "Comments awaiting moderation"
    )


def test_the_markdown_holds_the_prose_not_the_facts():
    """What configuration says is not written a second time, where it could go stale."""
    body = frontmatter.load(str(NOTE)).content
    for fact in ("30 ngày", "365 ngày", "Ủy ban nhân dân", "example.gov.vn", "{{", "{%"):
        assert fact not in body, fact


@pytest.mark.parametrize(
    "privacy",
    [
        None,
        {**CONFIRMED, "controller": None},
        {**CONFIRMED, "contact": {**CONFIRMED["contact"], "email": " "}},
        {**CONFIRMED, "sample": ["host"]},
    ],
    ids=["missing", "no-controller", "blank-email", "unknown-sample"],
)
def test_a_privacy_setting_the_note_could_not_show_stops_the_app(tmp_path, monkeypatch, privacy):
    monkeypatch.setenv("NEWSPORTAL_INSTANCE_PATH", str(tmp_path))
    config = {"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_PRIVACY"):
        create_app({**config, "PRIVACY": privacy})
