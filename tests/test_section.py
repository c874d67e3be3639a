"""The complaints section's lists: reception schedule (+ iCalendar), published results, legal
documents, and the section's sample content."""

import io
import re
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import newsportal.pages.views
from newsportal import storage
from newsportal.errors import FieldError
from newsportal.extensions import db
from newsportal.models import LegalDocument, Page, PublishedResult, ReceptionSession
from newsportal.pages import records
from newsportal.text import to_local, utcnow

from .demo_snapshot import load_demo
from .page_helpers import make_page, make_result, make_session, results, sample_pdf, soup, vn

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def schedule_page(app):
    root = make_page(app, "Giải quyết khiếu nại, tố cáo", slug="khieu-nai-to-cao")
    make_page(
        app,
        "Lịch tiếp công dân",
        slug="lich-tiep-cong-dan",
        parent_id=root.id,
        block="reception_schedule",
    )
    return root


def days_from_now(days, hour=7, minute=30):
    day = to_local(utcnow()).date() + timedelta(days=days)
    return vn(day.year, day.month, day.day, hour, minute)


def test_schedule_lists_upcoming_first_soonest_first_then_past_newest_first(
    app, client, schedule_page
):
    make_session(app, days_from_now(30), receiver_title="Phó Chủ tịch B")
    make_session(app, days_from_now(-40), receiver_title="Quá khứ xa")
    make_session(app, days_from_now(3), receiver_title="Chủ tịch A")
    make_session(app, days_from_now(-5), receiver_title="Quá khứ gần")
    make_session(app, days_from_now(0, hour=0, minute=30), receiver_title="Sáng nay")
    page = soup(client.get("/pages/lich-tiep-cong-dan"))
    upcoming = [
        r.select("td")[1].get_text(" ", strip=True)
        for r in page.select(".schedule:not(.schedule-archive) tbody tr")
    ]
    past = [
        r.select("td")[1].get_text(" ", strip=True)
        for r in page.select(".schedule-archive tbody tr")
    ]
    assert upcoming == ["Sáng nay", "Chủ tịch A", "Phó Chủ tịch B"]
    assert past == ["Quá khứ gần", "Quá khứ xa"]
    text = page.get_text()
    assert text.index("Các buổi tiếp sắp tới") < text.index("Các buổi tiếp đã qua")


def test_schedule_shows_vietnam_time_weekday_and_postponed_or_moved_marks(
    app, client, schedule_page
):
    make_session(
        app,
        vn(2099, 12, 21, 7, 30),
        ends_at=vn(2099, 12, 21, 11, 30),
        status="moved",
        note="Ngày 20/12 là Chủ nhật.",
    )
    make_session(app, vn(2099, 12, 28, 14, 0), status="postponed", note="Trùng lịch công tác.")
    rows = soup(client.get("/pages/lich-tiep-cong-dan")).select(".schedule tbody tr")
    first = rows[0].get_text(" ", strip=True)
    assert "Thứ Hai, 21/12/2099" in first
    assert "07:30" in first
    assert "11:30" in first
    assert rows[0].find("time")["datetime"] == "2099-12-21T07:30:00+07:00"
    assert rows[0].select_one(".badge-moved").text == "Đã dời lịch"
    assert "session-postponed" in rows[1]["class"]
    assert rows[1].select_one(".badge-postponed").text == "Tạm hoãn"
    assert "Trùng lịch công tác." in rows[1].get_text()


def test_schedule_archive_paginates(app, client, schedule_page):
    app.config["SECTION_PER_PAGE"] = 2
    for n in range(5):
        make_session(app, days_from_now(-10 - n), receiver_title=f"Buổi {n}")
    first = soup(client.get("/pages/lich-tiep-cong-dan"))
    second = soup(client.get("/pages/lich-tiep-cong-dan?page=3"))
    assert len(first.select(".schedule-archive tbody tr")) == 2
    assert [r.select("td")[1].text for r in second.select(".schedule-archive tbody tr")] == [
        "Buổi 4"
    ]
    assert first.select_one(".pagination a[rel=next]")["href"] == "/pages/lich-tiep-cong-dan?page=2"


def test_section_front_page_shows_the_next_sessions(app, client, schedule_page):
    make_session(app, days_from_now(-2), receiver_title="Đã qua")
    for n in range(1, 5):
        make_session(app, days_from_now(n * 7), receiver_title=f"Sắp tới {n}")
    box = soup(client.get("/pages/khieu-nai-to-cao")).select_one(".next-sessions")
    assert [
        li.get_text(" ", strip=True).split("— ")[1].split(",")[0] for li in box.select("li")
    ] == ["Sắp tới 1", "Sắp tới 2", "Sắp tới 3"]
    assert box.find("a", href="/pages/lich-tiep-cong-dan") is not None
    assert box.find("a", href="/pages/lich-tiep-cong-dan.ics") is not None


def test_ics_feed_parses_with_vietnam_times_and_marks(app, client, schedule_page):
    make_session(
        app,
        vn(2099, 12, 21, 7, 30),
        ends_at=vn(2099, 12, 21, 11, 30),
        receiver_name="Nguyễn Văn A",
        place="Trụ sở Tiếp công dân tỉnh, số 488",
    )
    make_session(app, vn(2099, 12, 28, 14, 0), status="postponed", note="Trùng lịch.")
    response = client.get("/pages/lich-tiep-cong-dan.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    assert cal.get("version") == "2.0"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    first, second = cal.walk("VEVENT")
    start = first.decoded("dtstart")
    assert start.tzinfo is not None
    assert start.utcoffset() == timedelta(hours=7)
    assert (start.hour, start.minute) == (7, 30)
    assert first.decoded("dtend").astimezone(VN).hour == 11
    assert first.decoded("dtstart").astimezone(ZoneInfo("UTC")).hour == 0  # 07:30 in Vietnam
    assert "Nguyễn Văn A" in str(first["summary"])
    assert "số 488" in str(first["location"])
    assert str(first["status"]) == "CONFIRMED"
    assert str(second["status"]) == "CANCELLED"
    assert str(second["summary"]).startswith("[Tạm hoãn]")
    assert second.decoded("dtend") - second.decoded("dtstart") == ReceptionSession.DEFAULT_LENGTH
    assert first["uid"] != second["uid"]
    assert str(first["url"]).endswith("/pages/lich-tiep-cong-dan")


def test_ics_uid_stays_and_sequence_rises_when_a_session_changes(app, auth, client):
    session_id = make_session(app, vn(2099, 12, 21, 7, 30))
    before = Calendar.from_ical(client.get("/pages/lich-tiep-cong-dan.ics").data).walk("VEVENT")[0]
    auth.as_role("editor")
    response = client.post(
        f"/editor/section/schedule/{session_id}",
        data=session_form(starts_at="2099-12-22T07:30", status="moved", note="Dời sang thứ Ba."),
    )
    assert response.status_code == 302
    after = Calendar.from_ical(client.get("/pages/lich-tiep-cong-dan.ics").data).walk("VEVENT")[0]
    assert after["uid"] == before["uid"]
    assert after.decoded("sequence") == before.decoded("sequence") + 1
    assert after.decoded("dtstart").day == 22


def session_form(**extra):
    data = {
        "starts_at": "2099-12-21T07:30",
        "ends_at": "",
        "receiver_title": "Chủ tịch UBND tỉnh",
        "receiver_name": "",
        "place": "Trụ sở Tiếp công dân tỉnh",
        "mode": "in_person",
        "status": "scheduled",
        "note": "",
    }
    data.update(extra)
    return data


def sessions(app):
    with app.app_context():
        return list(db.session.scalars(db.select(ReceptionSession).order_by(ReceptionSession.id)))


def test_editor_adds_a_session_in_vietnam_time(app, auth, client, schedule_page):
    auth.as_role("editor")
    response = client.post(
        "/editor/section/schedule/new", data=session_form(ends_at="2099-12-21T11:30", mode="online")
    )
    assert response.status_code == 302
    (saved,) = sessions(app)
    assert saved.starts_at.hour == 0
    assert saved.starts_at.utcoffset() == timedelta(0)
    assert saved.mode == "online"
    row = soup(client.get("/pages/lich-tiep-cong-dan")).select_one(".schedule tbody tr")
    assert "Trực tuyến" in row.get_text()


BAD_SESSIONS = [
    ({"starts_at": ""}, "starts_at"),
    ({"starts_at": "21/12/2099 07:30"}, "starts_at"),
    ({"starts_at": "29999-12-21T07:30"}, "starts_at"),
    ({"ends_at": "2099-12-21T06:00"}, "ends_at"),
    ({"receiver_title": ""}, "receiver_title"),
    ({"place": "  "}, "place"),
    ({"mode": "carrier-pigeon"}, "mode"),
    ({"status": "maybe"}, "status"),
    ({"note": "x" * 501}, "note"),
]


@pytest.mark.parametrize(("change", "field"), BAD_SESSIONS)
@pytest.mark.sqlite_only("form validation, before any write")
def test_bad_session_input_is_refused_with_the_form_kept(app, auth, client, change, field):
    auth.as_role("editor")
    typed = session_form(receiver_name="Trần Thị B", **change)
    response = client.post("/editor/section/schedule/new", data=typed)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(f"#{field}").get("aria-invalid") == "true"
    assert page.select_one("#receiver_name")["value"] == "Trần Thị B"
    assert sessions(app) == []


SECTION_LIST_URLS = [
    ("GET", "/editor/section/{name}/"),
    ("GET", "/editor/section/{name}/new"),
    ("GET", "/editor/section/{name}/{id}"),
    ("POST", "/editor/section/{name}/new"),
    ("POST", "/editor/section/{name}/{id}"),
    ("POST", "/editor/section/{name}/{id}/delete"),
]


@pytest.fixture
def list_ids(app):
    with app.app_context():
        document = LegalDocument(
            title="Luật Khiếu nại", number="02/2011/QH13", kind="law", issued_on=date(2011, 11, 11)
        )
        db.session.add(document)
        db.session.commit()
        document_id = document.id
    return {
        "schedule": make_session(app, vn(2099, 1, 20)),
        "results": make_result(app, "1/QĐ-UBND", date(2026, 1, 5)),
        "documents": document_id,
    }


@pytest.mark.parametrize(("method", "url"), SECTION_LIST_URLS)
@pytest.mark.parametrize("name", ["schedule", "results", "documents"])
@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("moderator", 403)])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_section_lists_are_closed_to_anonymous_and_moderators(
    app, auth, client, list_ids, method, url, name, role, expected
):
    auth.as_role(role)
    response = client.open(url.format(name=name, id=list_ids[name]), method=method)
    assert response.status_code == expected
    with app.app_context():
        counts = [
            db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (ReceptionSession, PublishedResult, LegalDocument)
        ]
    assert counts == [1, 1, 1]


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize("name", ["schedule", "results", "documents"])
@pytest.mark.sqlite_only("a role check: the same Python on either database")
def test_editors_open_every_section_list(auth, client, list_ids, role, name):
    auth.as_role(role)
    for url in (
        "/editor/section/{name}/",
        "/editor/section/{name}/new",
        "/editor/section/{name}/{id}",
    ):
        assert client.get(url.format(name=name, id=list_ids[name])).status_code == 200


def test_unknown_list_is_a_404(auth, client):
    auth.as_role("editor")
    assert client.get("/editor/section/guestbook/").status_code == 404


def test_editor_deletes_a_session_with_a_post_only(app, auth, client, list_ids):
    auth.as_role("editor")
    url = f"/editor/section/schedule/{list_ids['schedule']}/delete"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert sessions(app) == []


# --- published results ----------------------------------------------------------------------


@pytest.fixture
def results_page(app):
    return make_page(
        app, "Công khai kết quả giải quyết", slug="cong-khai-ket-qua", block="published_results"
    )


def test_results_newest_first_paginated_and_filtered(app, client, results_page):
    app.config["SECTION_PER_PAGE"] = 3
    for n in range(7):
        make_result(
            app,
            f"{n + 1}/QĐ-UBND",
            date(2026, 1, 1) + timedelta(days=10 * n),
            kind="denunciation" if n % 2 else "complaint",
        )

    def numbers(page):
        return [
            re.search(r"(\d+/QĐ-UBND)", li.text).group(1) for li in page.select(".result-list li")
        ]

    first = soup(client.get("/pages/cong-khai-ket-qua"))
    assert numbers(first) == ["7/QĐ-UBND", "6/QĐ-UBND", "5/QĐ-UBND"]
    assert numbers(soup(client.get("/pages/cong-khai-ket-qua?page=3"))) == ["1/QĐ-UBND"]
    assert first.select_one(".pagination a[rel=next]")["href"] == "/pages/cong-khai-ket-qua?page=2"
    denunciations = soup(client.get("/pages/cong-khai-ket-qua?kind=denunciation"))
    assert numbers(denunciations) == ["6/QĐ-UBND", "4/QĐ-UBND", "2/QĐ-UBND"]
    assert client.get("/pages/cong-khai-ket-qua?page=9").status_code == 404  # past the end, no 500


def test_results_page_says_denouncers_are_never_published(app, client, results_page):
    notice = soup(client.get("/pages/cong-khai-ket-qua")).select_one(".identity-notice")
    assert "Danh tính người tố cáo không bao giờ được công khai." in notice.text


def result_form(**extra):
    data = {
        "title": "Kết luận nội dung tố cáo đối với ông X",
        "document_number": "12/KL-TTr",
        "issued_on": "2026-10-01",
        "kind": "denunciation",
        "summary": "Tố cáo đúng một phần.",
        "url": "",
    }
    data.update(extra)
    return data


def stored_pdfs(app):
    folder = Path(app.config["UPLOAD_FOLDER"]) / "documents"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_editor_uploads_a_pdf_and_readers_download_it_safely(app, auth, client, results_page):
    auth.as_role("editor")
    pdf = sample_pdf("12/KL-TTR - SAMPLE")
    response = client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(pdf), "ket-luan.pdf")),
    )
    assert response.status_code == 302
    (saved,) = results(app)
    assert saved.file_size == len(pdf)
    assert stored_pdfs(app) == [f"{saved.file_sha256}.pdf"]
    link = soup(client.get("/pages/cong-khai-ket-qua")).find("a", type="application/pdf")
    with client.get(link["href"]) as download:
        assert download.status_code == 200
        assert download.data == pdf
        assert download.mimetype == "application/pdf"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "ket-luan.pdf"),
        (b"GIF89a" + b"\0" * 100, "anh.pdf"),
        (b"%PDF-1.4\n" + b"x" * 100, "cut-short.pdf"),  # no end-of-file marker: truncated
        (b"", "empty.pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(
    app, auth, client, results_page, payload, name
):
    auth.as_role("editor")
    response = client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(payload), name)),
    )
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#title")["value"] == "Kết luận nội dung tố cáo đối với ông X"
    assert results(app) == []
    assert stored_pdfs(app) == []
    if payload:
        assert page.select_one("#pdf").get("aria-invalid") == "true"
    else:
        assert page.select_one("#url").get("aria-invalid") == "true"  # no link, no file


def test_a_pdf_over_the_limit_is_refused(app, auth, client, monkeypatch, results_page):
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    auth.as_role("editor")
    big = sample_pdf("X").replace(b"%%EOF", b" " * 2000 + b"%%EOF")
    response = client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(big), "big.pdf")),
    )
    assert "0 MB" in soup(response).select_one("#pdf-error").text
    assert results(app) == []


def test_replacing_and_deleting_results_removes_unused_files(app, auth, client):
    auth.as_role("editor")
    first, second = sample_pdf("ONE"), sample_pdf("TWO")
    client.post(
        "/editor/section/results/new",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(first), "a.pdf")),
    )
    (saved,) = results(app)
    client.post(
        f"/editor/section/results/{saved.id}",
        content_type="multipart/form-data",
        data=result_form(pdf=(io.BytesIO(second), "b.pdf")),
    )
    (replaced,) = results(app)
    assert stored_pdfs(app) == [f"{replaced.file_sha256}.pdf"]
    assert client.get(f"/documents/{saved.file_sha256}.pdf").status_code == 404
    client.post(f"/editor/section/results/{saved.id}/delete")
    assert results(app) == []
    assert stored_pdfs(app) == []


@pytest.mark.parametrize("sha", ["0" * 64, "../../secret_key", "abc", "A" * 64])
def test_only_stored_result_files_are_served(client, sha):
    assert client.get(f"/documents/{sha}.pdf").status_code == 404


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x"])
def test_result_links_must_be_web_addresses(app, auth, client, url):
    auth.as_role("editor")
    response = client.post("/editor/section/results/new", data=result_form(url=url))
    assert soup(response).select_one("#url").get("aria-invalid") == "true"
    assert results(app) == []


# --- legal documents ------------------------------------------------------------------------


def document_form(**extra):
    data = {
        "title": "Luật Tố cáo",
        "number": "25/2018/QH14",
        "kind": "law",
        "issued_on": "2018-06-12",
        "effective_on": "2019-01-01",
        "note": "",
        "url": "",
    }
    data.update(extra)
    return data


def test_documents_are_listed_by_kind_then_newest(app, auth, client):
    make_page(app, "Văn bản pháp luật", block="legal_documents")
    auth.as_role("editor")
    for form in (
        document_form(),
        document_form(
            title="Nghị định 31",
            number="31/2019/NĐ-CP",
            kind="decree",
            issued_on="2019-04-10",
            effective_on="",
        ),
        document_form(
            title="Luật Khiếu nại",
            number="02/2011/QH13",
            issued_on="2011-11-11",
            effective_on="2012-07-01",
        ),
        document_form(
            title="Hiến pháp",
            number="Hiến pháp năm 2013",
            kind="constitution",
            issued_on="2013-11-28",
            effective_on="2014-01-01",
        ),
    ):
        assert client.post("/editor/section/documents/new", data=form).status_code == 302
    rows = soup(client.get("/pages/van-ban-phap-luat")).select(".documents tbody tr")
    assert [r.td.text for r in rows] == [
        "Hiến pháp năm 2013",
        "25/2018/QH14",
        "02/2011/QH13",
        "31/2019/NĐ-CP",
    ]
    assert "12/6/2018" in rows[1].get_text()
    assert "01/01/2019" in rows[1].get_text()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "25/2018/QH14"}, "number"),
        ({"effective_on": "2010-01-01"}, "effective_on"),
        ({"kind": "rumour"}, "kind"),
        ({"issued_on": ""}, "issued_on"),
    ],
)
def test_bad_documents_are_refused(app, auth, client, change, field):
    auth.as_role("editor")
    client.post("/editor/section/documents/new", data=document_form())
    response = client.post(
        "/editor/section/documents/new",
        data=document_form(title="Bản trùng", **{"number": "9/2099", **change}),
    )
    assert soup(response).select_one(f"#{field}").get("aria-invalid") == "true"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LegalDocument)) == 1


def test_an_editor_marks_a_document_unconfirmed_and_clears_the_mark(app, auth, client):
    make_page(app, "Văn bản pháp luật", slug="van-ban-phap-luat", block="legal_documents")
    auth.as_role("editor")
    client.post("/editor/section/documents/new", data=document_form(unconfirmed="y"))
    page = soup(client.get("/pages/van-ban-phap-luat"))
    assert page.select_one(".documents tbody .unconfirmed-mark") is not None
    assert page.select_one("#documents-unconfirmed") is not None
    with app.app_context():
        item = db.session.scalars(db.select(LegalDocument)).one()
    client.post(f"/editor/section/documents/{item.id}", data=document_form())
    page = soup(client.get("/pages/van-ban-phap-luat"))
    assert page.select_one(".unconfirmed-mark") is None
    assert page.select_one("#documents-unconfirmed") is None


# --- the sample section (demo load) ----------------------------------------------------------


@pytest.fixture
def demo(app):
    return load_demo(app)


SECTION = [
    "khieu-nai-to-cao",
    "huong-dan-khieu-nai",
    "huong-dan-to-cao",
    "tiep-cong-dan",
    "lich-tiep-cong-dan",
    "cong-khai-ket-qua",
    "van-ban-phap-luat",
    "noi-gui-don",
]
OTHER_PAGES = ["noi-quy-binh-luan", "bao-ve-du-lieu-ca-nhan", "lien-he"]


@pytest.mark.parametrize("slug", SECTION + OTHER_PAGES)
def test_demo_pages_render_with_a_reviewed_date(client, demo, slug):
    page = soup(client.get(f"/pages/{slug}"))
    assert page.h1 is not None
    assert "Rà soát lần cuối" in page.select_one(".page-dates").text
    if slug in SECTION:
        assert page.select_one(".sample-notice") is not None


def test_demo_section_front_page_says_the_site_takes_no_complaints(client, demo):
    page = soup(client.get("/pages/khieu-nai-to-cao"))
    notice = page.select_one(".channel-notice")
    assert "không tiếp nhận đơn khiếu nại, tố cáo" in notice.text
    assert notice.find("a", href="/pages/noi-gui-don") is not None
    listed = [a["href"] for a in page.select(".section-nav li a")]
    assert listed == [f"/pages/{slug}" for slug in SECTION[1:]]
    assert len(page.select(".next-sessions li")) == 3


def test_demo_law_numbers_are_exact(app, demo):
    with app.app_context():
        text = " ".join(p.body_md + p.lead for p in db.session.scalars(db.select(Page)))
        numbers = {d.number for d in db.session.scalars(db.select(LegalDocument))}
    for number in ("02/2011/QH13", "25/2018/QH14", "42/2013/QH13", "136/2025/QH15"):
        assert number in text
    assert {"02/2011/QH13", "25/2018/QH14", "42/2013/QH13"} <= numbers
    assert "24/2018" not in text  # the Law on Cybersecurity, often mis-cited
    assert re.findall(r"\b\d+/20\d\d/QH1\d\b", text)
    assert all(
        n
        in {
            "02/2011/QH13",
            "25/2018/QH14",
            "42/2013/QH13",
            "136/2025/QH15",
            "81/2025/QH15",
            "84/2025/QH15",
            "59/2020/QH14",
            "91/2025/QH15",
        }
        for n in re.findall(r"\b\d+/20\d\d/QH1\d\b", text)
    )


def test_demo_uncertain_facts_carry_the_confirmation_marker(app, demo):
    marker = "(Thông tin mẫu - cần cơ quan xác nhận)"
    with app.app_context():
        pages = {p.slug: p.body_md for p in db.session.scalars(db.select(Page))}
    contact = pages["noi-gui-don"]
    for line in contact.splitlines():
        if re.search(r"\d{4} \d", line) or "@" in line:  # phone numbers and email addresses
            assert marker in line, line
    chair = [line for line in pages["tiep-cong-dan"].splitlines() if "ngày 20" in line]
    assert chair
    assert all(marker in line for line in chair)


def test_demo_schedule_has_upcoming_past_postponed_and_moved_sessions(app, client, demo):
    rows = sessions(app)
    now = utcnow()
    assert any(s.starts_at > now for s in rows)
    assert any(s.starts_at < now for s in rows)
    assert {"postponed", "scheduled"} <= {s.status for s in rows}
    assert all(to_local(s.starts_at).weekday() < 5 for s in rows)  # working days only
    page = soup(client.get("/pages/lich-tiep-cong-dan"))
    assert page.select(".schedule-archive tbody tr")
    assert page.select_one(".badge-postponed") is not None


def test_demo_results_include_pdfs_and_never_a_denouncer(app, client, demo):
    rows = results(app)
    assert len(rows) >= 12
    assert {r.kind for r in rows} == {"complaint", "denunciation"}
    with_file = [r for r in rows if r.file_sha256]
    assert with_file
    with client.get(f"/documents/{with_file[0].file_sha256}.pdf") as download:
        assert download.status_code == 200
    for r in rows:
        if r.kind == "denunciation":
            assert "người tố cáo" not in (r.title + r.summary).lower().replace("đối với", "")


def test_demo_load_twice_adds_nothing(app, runner, demo):
    with app.app_context():
        before = [
            db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in (Page, ReceptionSession, PublishedResult, LegalDocument)
        ]
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0
    with app.app_context():
        after = [
            db.session.scalar(db.select(db.func.count()).select_from(m))
            for m in (Page, ReceptionSession, PublishedResult, LegalDocument)
        ]
    assert after == before
    assert before[0] == 11


def test_demo_schedule_follows_the_20th_rule(monkeypatch, app):
    from newsportal.pages import demo as page_demo

    with app.app_context():
        page_demo.load_schedule(now=vn(2026, 11, 26))
        chair = [
            s
            for s in db.session.scalars(db.select(ReceptionSession))
            if s.receiver_title.startswith("Chủ tịch")
        ]
    days = sorted(to_local(s.starts_at).date() for s in chair)
    # 20/12/2026 is a Sunday: the session moves to Monday 21/12.
    assert date(2026, 12, 21) in days
    assert date(2026, 12, 20) not in days
    assert date(2026, 11, 20) in days  # a Friday: stays
    moved = [s for s in chair if to_local(s.starts_at).date() == date(2026, 12, 21)]
    assert moved[0].status == "moved"


def test_feed_page_url_is_absolute(app, client, schedule_page):
    make_session(app, vn(2099, 1, 20))
    event = Calendar.from_ical(client.get("/pages/lich-tiep-cong-dan.ics").data).walk("VEVENT")[0]
    assert str(event["url"]).startswith("http://127.0.0.1:5000/")
    assert newsportal.pages.views.FEED_PAST_DAYS >= 30


def test_an_expired_session_keeps_a_typed_reception_session(csrf_app, make_user):
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
    typed = session_form(place="Hội trường UBND huyện Cao Lãnh", csrf_token="expired")
    response = client.post("/editor/section/schedule/new", data=typed)
    assert response.status_code == 200
    assert soup(response).select_one("#place")["value"] == "Hội trường UBND huyện Cao Lãnh"
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert sessions(csrf_app) == []


SESSION = {
    "starts_at": utcnow() + timedelta(days=3),
    "ends_at": None,
    "receiver_title": "Chủ tịch UBND tỉnh",
    "receiver_name": "",
    "place": "Trụ sở Tiếp công dân tỉnh",
}
RESULT = {
    "title": "Kết luận thanh tra",
    "document_number": "12/KL-TTr",
    "issued_on": date(2025, 3, 1),
    "kind": "complaint",
    "url": "https://example.gov.vn/kl.pdf",
}
DOCUMENT = {
    "title": "Luật Tố cáo",
    "number": "25/2018/QH14",
    "kind": "law",
    "issued_on": date(2018, 6, 12),
}

SAVES = {
    "session": lambda change: records.save_session(
        None, records.SessionData(**{**SESSION, **change}), None
    ),
    "result": lambda change: records.save_result(
        None, records.ResultData(**{**RESULT, **change}), None, storage.current()
    ),
    "document": lambda change: records.save_document(
        None, records.DocumentData(**{**DOCUMENT, **change}), None
    ),
}


@pytest.mark.parametrize(
    ("save", "change", "error"),
    [
        ("session", {"receiver_title": " \t "}, ("receiver_title", "required")),
        ("session", {"mode": "by-carrier-pigeon"}, ("mode", "unknown")),
        ("result", {"title": "  "}, ("title", "required")),
        ("result", {"document_number": ""}, ("document_number", "required")),
        ("document", {"title": ""}, ("title", "required")),
        ("document", {"number": "  "}, ("number", "required")),
    ],
)
def test_the_list_services_refuse_blank_or_unknown_values_and_write_nothing(
    app, save, change, error
):
    # The forms catch these first; the services refuse them for every other caller too.
    with app.app_context():
        with pytest.raises(FieldError) as refused:
            SAVES[save](change)
        assert (refused.value.field, refused.value.code) == error
        db.session.rollback()
        for model in (ReceptionSession, PublishedResult, LegalDocument):
            assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0


def test_a_document_keeps_its_own_number_when_edited_but_may_not_take_another(app):
    with app.app_context():
        law = records.save_document(None, records.DocumentData(**DOCUMENT), None)
        decree = records.save_document(
            None,
            records.DocumentData(**{**DOCUMENT, "title": "Nghị định", "number": "31/2019/NĐ-CP"}),
            None,
        )
        edited = records.save_document(
            law, records.DocumentData(**{**DOCUMENT, "note": "Hiệu lực từ 01/01/2019."}), None
        )
        assert (edited.id, edited.number, edited.note) == (
            law.id,
            "25/2018/QH14",
            "Hiệu lực từ 01/01/2019.",
        )
        with pytest.raises(FieldError) as refused:
            records.save_document(decree, records.DocumentData(**DOCUMENT), None)
        assert (refused.value.field, refused.value.code) == ("number", "taken")
        db.session.rollback()
        assert db.session.get(LegalDocument, decree.id).number == "31/2019/NĐ-CP"
