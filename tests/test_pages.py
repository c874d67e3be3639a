"""Information pages: what readers see, and how editors write, publish and restore them."""

from datetime import date, timedelta

import pytest

import newsportal.search.queries
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import Page
from newsportal.pages import services
from newsportal.text import utcnow

from .page_helpers import get_page, make_page, page_revisions, soup


def page_form(title="Hướng dẫn tố cáo", **extra):
    data = {
        "title": title,
        "slug": "",
        "lead": "Sapo.",
        "body": "Thân **trang**.",
        "parent_id": "None",
        "position": "0",
        "block": "",
        "reviewed_on": "",
        "action": "save",
    }
    data.update(extra)
    return data


def test_published_page_renders_with_body_lead_and_dates(app, client):
    make_page(
        app,
        "Nội quy bình luận",
        body_md="## Quy định\n\n- Viết tiếng Việt có dấu.",
        reviewed_on=date(2026, 11, 25),
    )
    page = soup(client.get("/pages/noi-quy-binh-luan"))
    assert page.h1.get_text(strip=True) == "Nội quy bình luận"
    assert page.select_one(".lead").get_text(strip=True) == "Sapo của trang."
    assert page.select_one(".body h2").get_text(strip=True) == "Quy định"
    dates = page.select_one(".page-dates")
    assert "Rà soát lần cuối" in dates.get_text()
    assert dates.find("time", datetime="2026-11-25").get_text() == "25/11/2026"
    assert dates.find("time")["datetime"].endswith("+07:00")  # updated, shown in Vietnam time


def test_draft_page_is_invisible_to_the_public(app, client):
    make_page(app, "Trang nháp bí mật", publish=False)
    assert client.get("/pages/trang-nhap-bi-mat").status_code == 404


def test_unknown_page_is_a_404(client):
    assert client.get("/pages/khong-co-trang-nay").status_code == 404


def test_draft_child_is_not_listed_under_its_parent(app, client):
    root = make_page(app, "Giải quyết khiếu nại, tố cáo")
    make_page(app, "Hướng dẫn khiếu nại", parent_id=root.id, position=1)
    make_page(app, "Bản nháp con", parent_id=root.id, publish=False)
    page = soup(client.get("/pages/giai-quyet-khieu-nai-to-cao"))
    listed = [a.get_text(strip=True) for a in page.select(".section-nav li a")]
    assert listed == ["Hướng dẫn khiếu nại"]
    assert "Bản nháp con" not in page.get_text()


def test_sub_page_has_breadcrumb_and_section_navigation(app, client):
    root = make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    make_page(app, "Hướng dẫn khiếu nại", parent_id=root.id, position=1)
    make_page(app, "Hướng dẫn tố cáo", parent_id=root.id, position=2)
    page = soup(client.get("/pages/huong-dan-to-cao"))
    assert page.select_one(".breadcrumbs li + li a")["href"] == "/pages/khieu-nai-to-cao"
    nav = page.select(".section-nav li a")
    assert [a.get_text(strip=True) for a in nav] == ["Hướng dẫn khiếu nại", "Hướng dẫn tố cáo"]
    assert nav[1].get("aria-current") == "page"


@pytest.mark.parametrize("url", ["/", "/pages/noi-quy-binh-luan", "/articles/{slug}"])
def test_section_is_one_click_away_in_header_and_footer(app, client, make_article, url):
    article = make_article("Tin có bình luận")
    make_page(app, "Nội quy bình luận")
    page = soup(client.get(url.format(slug=article.slug)))
    header = page.select_one(".main-nav").find("a", href="/pages/khieu-nai-to-cao")
    footer = page.select_one(".site-footer").find("a", href="/pages/khieu-nai-to-cao")
    assert header.get_text(strip=True) == "Giải quyết khiếu nại, tố cáo"
    assert footer is not None
    for slug in ("noi-quy-binh-luan", "bao-ve-du-lieu-ca-nhan", "lien-he"):
        assert page.select_one(".site-footer").find("a", href=f"/pages/{slug}") is not None


def test_sample_pages_carry_the_confirmation_banner(app, client):
    make_page(app, "Nơi gửi đơn", sample_notice=True)
    make_page(app, "Nội quy bình luận", sample_notice=False)
    banner = "Thông tin mẫu - cần cơ quan xác nhận"
    assert banner in soup(client.get("/pages/noi-gui-don")).select_one(".sample-notice").text
    assert soup(client.get("/pages/noi-quy-binh-luan")).select_one(".sample-notice") is None


def test_english_interface_says_the_legal_text_is_vietnamese_only(app, client):
    make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    page = soup(client.get("/pages/khieu-nai-to-cao?lang=en"))
    notice = page.find(lambda tag: tag.get("lang") == "en" and "Vietnamese only" in tag.text)
    assert notice is not None
    assert page.select_one(".main-nav a[href='/pages/khieu-nai-to-cao']").text.strip() == (
        "Complaints and denunciations"
    )
    assert page.select_one("#channel-notice-heading").text.strip() == (
        "This site does not receive complaints or denunciations"
    )
    assert page.select_one(".body")["lang"] == "vi"


def test_page_body_is_sanitised_at_save(app, client):
    page = make_page(app, "Thử", body_md="<script>alert(1)</script>[x](javascript:alert(1)) **ok**")
    assert "<script" not in page.body_html
    assert "javascript:" not in page.body_html
    assert "<strong>ok</strong>" in page.body_html


def test_page_view_runs_a_constant_number_of_queries(app, client, count_queries):
    root = make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    few = count_queries(lambda: client.get("/pages/khieu-nai-to-cao"))
    for n in range(15):
        make_page(app, f"Trang con số {n}", parent_id=root.id, position=n)
    assert count_queries(lambda: client.get("/pages/khieu-nai-to-cao")) == few


# --- the editor desk ------------------------------------------------------------------------

DESK_GETS = [
    "/editor/pages/",
    "/editor/pages/new",
    "/editor/pages/{id}",
    "/editor/pages/{id}/history",
    "/editor/pages/{id}/revisions/{rev}",
]
DESK_POSTS = [
    "/editor/pages/new",
    "/editor/pages/{id}",
    "/editor/pages/{id}/unpublish",
    "/editor/pages/{id}/delete",
    "/editor/pages/{id}/revisions/{rev}/restore",
]


@pytest.fixture
def ids(app):
    page = make_page(app, "Trang có sẵn")
    return {"id": page.id, "rev": page_revisions(app, page.id)[0].id}


@pytest.mark.parametrize(
    ("method", "url"), [("GET", u) for u in DESK_GETS] + [("POST", u) for u in DESK_POSTS]
)
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("moderator", 403)])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_page_desk_is_closed_to_anonymous_and_moderators(
    app, auth, client, ids, method, url, role, expected
):
    auth.as_role(role)
    before = get_page(app, ids["id"])
    response = client.open(url.format(**ids), method=method, data=page_form())
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/login?next=")
    after = get_page(app, ids["id"])
    assert (after.title, after.status, after.updated_at) == (
        before.title,
        before.status,
        before.updated_at,
    )


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize("url", DESK_GETS)
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_editors_and_admins_open_every_desk_page(auth, client, ids, role, url):
    auth.as_role(role)
    assert client.get(url.format(**ids)).status_code == 200


def test_editor_creates_a_draft_then_publishes_it(app, auth, client):
    auth.as_role("editor")
    response = client.post("/editor/pages/new", data=page_form("Liên hệ Ban biên tập"))
    assert response.status_code == 302
    assert client.get("/pages/lien-he-ban-bien-tap").status_code == 404  # a draft
    page_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(
        f"/editor/pages/{page_id}", data=page_form("Liên hệ Ban biên tập", action="publish")
    )
    assert client.get("/pages/lien-he-ban-bien-tap").status_code == 200
    client.post(f"/editor/pages/{page_id}/unpublish")
    assert client.get("/pages/lien-he-ban-bien-tap").status_code == 404
    assert get_page(app, page_id).first_published_at is not None


BAD_PAGE_INPUT = [
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"slug": "!!!"}, "slug"),
    ({"parent_id": "999"}, "parent_id"),
    ({"block": "guestbook"}, "block"),
    ({"reviewed_on": "25/11/2026"}, "reviewed_on"),
    ({"reviewed_on": "20261-01-01"}, "reviewed_on"),
    ({"position": "-1"}, "position"),
]


@pytest.mark.parametrize(("change", "field"), BAD_PAGE_INPUT)
def test_bad_input_keeps_everything_typed_and_writes_nothing(app, auth, client, change, field):
    auth.as_role("editor")
    typed = page_form("Tiêu đề đã gõ", body="Nội dung **rất dài** đã gõ.\n\nĐoạn hai.")
    typed.update(change)
    response = client.post("/editor/pages/new", data=typed)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(f"#{field}").get("aria-invalid") == "true"
    assert (
        page.select_one("#body").text.removeprefix("\r\n")
        == "Nội dung **rất dài** đã gõ.\n\nĐoạn hai."
    )
    assert page.select_one("#title")["value"] == typed["title"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Page)) == 0


def test_expired_csrf_token_keeps_the_text(csrf_app, make_user):
    client = csrf_app.test_client()
    make_user("editor")
    login = soup(client.get("/login")).find("input", {"name": "csrf_token"})["value"]
    client.post(
        "/login",
        data={
            "email": "editor@example.org",
            "password": "mật-khẩu-thử-nghiệm-đủ-dài",
            "csrf_token": login,
        },
    )
    response = client.post("/editor/pages/new", data={**page_form("Giữ nguyên"), "csrf_token": "x"})
    assert response.status_code == 200
    assert soup(response).select_one("#title")["value"] == "Giữ nguyên"
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)


def test_slug_is_frozen_once_readers_have_seen_the_page(app, auth, client):
    page = make_page(app, "Nơi gửi đơn")
    auth.as_role("editor")
    response = client.post(f"/editor/pages/{page.id}", data=page_form("Nơi gửi đơn", slug="moi"))
    assert "Không thể đổi địa chỉ" in response.get_data(as_text=True)
    assert get_page(app, page.id).slug == "noi-gui-don"


def test_a_page_cannot_be_moved_under_its_own_child(app, auth, client):
    root = make_page(app, "Gốc")
    child = make_page(app, "Con", parent_id=root.id)
    auth.as_role("editor")
    response = client.post(
        f"/editor/pages/{root.id}", data=page_form("Gốc", parent_id=str(child.id))
    )
    assert "dưới chính nó" in response.get_data(as_text=True)
    assert get_page(app, root.id).parent_id is None


def test_history_diff_and_restore(app, auth, client):
    page = make_page(app, "Tiếp công dân", body_md="Giờ tiếp: 7:00-11:30.")
    auth.as_role("editor")
    client.post(
        f"/editor/pages/{page.id}", data=page_form("Tiếp công dân", body="Giờ tiếp: 8:00-11:00.")
    )
    revs = page_revisions(app, page.id)
    assert [r.note for r in revs] == ["publish", "save"]
    diff = soup(client.get(f"/editor/pages/{page.id}/revisions/{revs[0].id}")).select_one(
        "#restoring"
    )
    assert [d.text for d in diff.select("del")][-1] == "[bỏ:] 8:00-11:00."
    assert [i.text for i in diff.select("ins")][-1] == "[thêm:] 7:00-11:30."
    client.post(f"/editor/pages/{page.id}/revisions/{revs[0].id}/restore")
    restored = get_page(app, page.id)
    assert restored.body_md == "Giờ tiếp: 7:00-11:30."
    assert "7:00-11:30" in restored.body_html
    assert page_revisions(app, page.id)[-1].note == f"restore:{revs[0].id}"
    assert "7:00-11:30" in client.get("/pages/tiep-cong-dan").get_data(as_text=True)


def test_get_never_restores(app, auth, client):
    page = make_page(app, "Trang", body_md="Một")
    auth.as_role("editor")
    client.post(f"/editor/pages/{page.id}", data=page_form("Trang", body="Hai"))
    first = page_revisions(app, page.id)[0]
    assert client.get(f"/editor/pages/{page.id}/revisions/{first.id}/restore").status_code == 405
    assert get_page(app, page.id).body_md == "Hai"


def test_only_never_published_childless_pages_can_be_deleted(app, auth, client):
    seen = make_page(app, "Đã công khai")
    draft = make_page(app, "Nháp", publish=False)
    auth.as_role("editor")
    client.post(f"/editor/pages/{seen.id}/delete")
    assert get_page(app, seen.id) is not None
    client.post(f"/editor/pages/{draft.id}/delete")
    with app.app_context():
        assert db.session.get(Page, draft.id) is None
        assert db.session.get(Page, seen.id) is not None


def test_desk_preview_button_works_without_javascript(auth, client):
    auth.as_role("editor")
    response = client.post(
        "/editor/pages/new", data=page_form(body="## Tiêu đề\n<script>x</script>", action="preview")
    )
    preview = soup(response).select_one("#preview")
    assert preview.h2.text == "Tiêu đề"
    assert preview.find("script") is None


def test_public_pages_are_found_by_search_without_accents(app, auth, client, monkeypatch):
    page = make_page(app, "Hướng dẫn khiếu nại", body_md="Đơn khiếu nại gửi trong 90 ngày.")
    make_page(app, "Khiếu nại bản nháp", publish=False)
    later = utcnow() + timedelta(seconds=2)  # search shows what went public before this second
    monkeypatch.setattr(newsportal.search.queries, "utcnow", lambda: later)
    results = soup(client.get("/search?q=khieu+nai"))
    found = [a["href"] for a in results.select(".search-result h2 a")]
    assert found == ["/pages/huong-dan-khieu-nai"]
    assert "Trang thông tin" in results.select_one(".search-result .meta").text
    auth.as_role("editor")
    client.post(f"/editor/pages/{page.id}/unpublish")
    assert soup(client.get("/search?q=khieu+nai")).select(".search-result") == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"parent_id": 987654}, ("parent_id", "unknown")),  # deleted meanwhile, or a forged id
        ({"block": "sidebar-of-nowhere"}, ("block", "unknown")),
    ],
)
def test_saving_a_page_under_a_missing_parent_or_in_an_unknown_block_writes_nothing(
    app, fields, error
):
    with app.app_context():
        data = services.PageData(
            title="Lịch tiếp công dân", lead="", body_md="Thứ Năm hằng tuần.", **fields
        )
        with pytest.raises(FieldError) as refused:
            services.save_page(None, data, None, "publish")
        assert (refused.value.field, refused.value.code) == error
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(Page)) == 0


def test_a_draft_with_sub_pages_is_not_deleted_and_reindexing_finds_every_page(app):
    parent = make_page(app, "Thủ tục hành chính", publish=False)
    make_page(app, "Thủ tục cấp phép", publish=True, parent_id=parent.id)
    with app.app_context():
        draft = db.session.get(Page, parent.id)
        with pytest.raises(FieldError) as refused:
            services.delete_draft(draft)
        assert (refused.value.field, refused.value.code) == ("page", "has_children")
        db.session.rollback()
        assert db.session.get(Page, parent.id) is not None
        assert services.reindex_pages() == 2
