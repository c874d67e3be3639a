"""The editorial board and the citizen reception office: each written once, in configuration,
and shown the same in the footer, on "Liên hệ" and on "Nơi gửi đơn"."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from newsportal import create_app
from newsportal.config import DEFAULTS, UnsafeConfiguration
from newsportal.demo_data import words

from .page_helpers import make_page, soup

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("address", "phone", "email", "hours")

CONFIRMED = {
    "editorial": {
        "name": "Ban Biên tập Cổng Thông tin điện tử tỉnh Thử Nghiệm",
        "address": "Số 7, đường Thử, phường Thử Một, tỉnh Thử Nghiệm",
        "phone": "0299 1 234 567",
        "email": "bbt@thunghiem.gov.vn",
        "hours": "Thứ Hai đến thứ Sáu, từ 8:00 đến 16:00",
        "sample": [],
    },
    "reception": {
        "name": "Trụ sở Tiếp công dân tỉnh Thử Nghiệm",
        "address": "Số 9, đường Thử, xã Thử Hai, tỉnh Thử Nghiệm",
        "phone": "0299 7 654 321",
        "email": "tiepcongdan@thunghiem.gov.vn",
        "hours": "Tất cả các ngày làm việc, từ 7:30 đến 17:00",
        "sample": ["hours"],
    },
}


@pytest.fixture(params=["defaults", "confirmed"])
def contacts(request: pytest.FixtureRequest) -> dict[str, Any]:
    return DEFAULTS["CONTACTS"] if request.param == "defaults" else CONFIRMED


@pytest.fixture
def app_config(app_config: dict[str, Any], contacts: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "CONTACTS": copy.deepcopy(contacts)}


def shown(card: Any) -> dict[str, Any]:
    values = {f: card.select_one(f"[data-field={f}]").get_text(" ", strip=True) for f in FIELDS}
    note = card.select_one(".contact-sample")
    return {
        "name": card.select_one("h2, .contact-name").get_text(strip=True),
        **values,
        "tel": card.select_one("[data-field=phone] a")["href"],
        "mailto": card.select_one("[data-field=email] a")["href"],
        "sample": note.get_text(strip=True) if note else None,
    }


def expected(contact: dict[str, Any]) -> dict[str, Any]:
    labels = {"address": "địa chỉ", "phone": "điện thoại", "email": "thư điện tử"}
    labels["hours"] = "thời gian làm việc"
    sample = ", ".join(labels[f] for f in contact["sample"])
    return {
        **{f: contact[f] for f in ("name", *FIELDS)},
        "tel": "tel:" + contact["phone"].replace(" ", ""),
        "mailto": "mailto:" + contact["email"],
        "sample": f"Thông tin mẫu - cần cơ quan xác nhận: {sample}" if sample else None,
    }


def test_footer_contact_page_and_complaint_page_show_the_configured_contacts(app, client, contacts):
    make_page(app, "Liên hệ", slug="lien-he", body_md="Chỉ có lời dẫn.")
    make_page(app, "Nơi gửi đơn và liên hệ", slug="noi-gui-don", body_md="Chỉ có lời dẫn.")
    pages = {url: soup(client.get(url)) for url in ("/", "/pages/lien-he", "/pages/noi-gui-don")}
    for page in pages.values():
        footer = page.select_one(".site-footer")
        for key in ("editorial", "reception"):
            assert shown(footer.select_one(f"[data-contact={key}]")) == expected(contacts[key])
    on_contact_page = pages["/pages/lien-he"].select(".info-page [data-contact]")
    assert [c["data-contact"] for c in on_contact_page] == ["editorial"]
    assert shown(on_contact_page[0]) == expected(contacts["editorial"])
    on_complaint_page = pages["/pages/noi-gui-don"].select(".info-page [data-contact]")
    assert [c["data-contact"] for c in on_complaint_page] == ["reception"]
    assert shown(on_complaint_page[0]) == expected(contacts["reception"])
    assert pages["/"].select(".info-page [data-contact]") == []


@pytest.mark.parametrize(
    ("lang", "labels", "note"),
    [
        (
            "vi",
            ["Địa chỉ", "Điện thoại", "Thư điện tử", "Thời gian làm việc"],
            "Thông tin mẫu - cần cơ",
        ),
        ("en", ["Address", "Phone", "Email", "Working hours"], "Sample information - to be"),
    ],
)
def test_contact_labels_follow_the_interface_language(app, client, contacts, lang, labels, note):
    make_page(app, "Nơi gửi đơn và liên hệ", slug="noi-gui-don")
    card = soup(client.get(f"/pages/noi-gui-don?lang={lang}")).select_one(
        ".info-page [data-contact=reception]"
    )
    assert [dt.get_text(strip=True) for dt in card.select("dt")] == labels
    assert card.select_one(".contact-sample").get_text(strip=True).startswith(note)
    assert card.select_one("h2")["lang"] == "vi"


OUTDATED = ["TP. Cao Lãnh", "Phường 1, TP.", "toasoan@", "Số 12 Đường 30/4"]
SOURCES = [
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted((ROOT / "newsportal" / "demo_content").rglob("*.*")),
    *sorted((ROOT / "newsportal" / "demo_data").glob("*.py")),
    ROOT / "newsportal" / "config.py",
    ROOT / "newsportal" / "pages" / "demo.py",
]


@pytest.mark.sqlite_only("reads files, no database")
@pytest.mark.parametrize("text", OUTDATED)
def test_no_pre_merger_address_or_newsroom_email_in_templates_or_demo_content(text):
    assert [p.name for p in SOURCES if text in p.read_text(encoding="utf-8")] == []


@pytest.mark.sqlite_only("reads files, no database")
@pytest.mark.parametrize("place", words.PLACES)
def test_generated_places_are_communes_wards_or_the_province(place):
    assert place == "Đồng Tháp" or place.startswith(("xã ", "phường "))
    assert not place.removeprefix("phường ").isdigit()  # "phường 1" is a pre-merger name


@pytest.mark.sqlite_only("reads files, no database")
@pytest.mark.parametrize("key", ["editorial", "reception"])
def test_demo_markdown_holds_no_copy_of_a_contact(key):
    contact = DEFAULTS["CONTACTS"][key]
    pages = sorted((ROOT / "newsportal" / "demo_content" / "pages").glob("*.md"))
    # the address up to its second comma ("số 488, ấp 4"): a copy need not be the whole line
    for value in (", ".join(contact["address"].lower().split(", ")[:2]), contact["phone"]):
        assert [p.name for p in pages if value in p.read_text(encoding="utf-8").lower()] == []
    assert [p.name for p in pages if contact["email"] in p.read_text(encoding="utf-8")] == []


@pytest.mark.sqlite_only("configuration only")
def test_contacts_come_from_the_environment_as_json(app_config, monkeypatch):
    chosen = copy.deepcopy(CONFIRMED)
    monkeypatch.setenv("NEWSPORTAL_CONTACTS", json.dumps(chosen, ensure_ascii=False))
    config = {k: v for k, v in app_config.items() if k != "CONTACTS"}
    assert create_app(config).config["CONTACTS"] == chosen


@pytest.mark.sqlite_only("configuration only")
def test_one_field_from_the_environment_leaves_the_defaults_alone(app_config, monkeypatch):
    before = copy.deepcopy(DEFAULTS["CONTACTS"])
    monkeypatch.setenv("NEWSPORTAL_CONTACTS__reception__phone", '"0273 3 999 999"')
    config = {k: v for k, v in app_config.items() if k != "CONTACTS"}
    contacts = create_app(config).config["CONTACTS"]
    assert contacts["reception"] == {**before["reception"], "phone": "0273 3 999 999"}
    assert contacts["editorial"] == before["editorial"]
    assert DEFAULTS["CONTACTS"] == before
    assert create_app(config).config["CONTACTS"]["reception"]["phone"] == "0273 3 999 999"


def _without(key: str, field: str) -> dict[str, Any]:
    broken = copy.deepcopy(CONFIRMED)
    del broken[key][field]
    return broken


@pytest.mark.sqlite_only("configuration only")
@pytest.mark.parametrize(
    "broken",
    [
        _without("reception", "address"),
        _without("editorial", "email"),
        {"editorial": CONFIRMED["editorial"]},
        {**CONFIRMED, "reception": {**CONFIRMED["reception"], "phone": "  "}},
        {**CONFIRMED, "reception": {**CONFIRMED["reception"], "sample": ["fax"]}},
        [],
    ],
)
def test_a_contact_the_footer_cannot_show_refuses_to_start(app_config, broken):
    with pytest.raises(UnsafeConfiguration, match="NEWSPORTAL_CONTACTS"):
        create_app({**app_config, "CONTACTS": broken})
