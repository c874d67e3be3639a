"""Both catalogues are complete: a missing Vietnamese entry would show English to readers."""

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parents[1] / "newsportal" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def entries(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return [m for m in read_po(handle) if m.id]


def template_ids():
    with open(CATALOGUES / "messages.pot", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalogue_is_complete_and_not_fuzzy(lang):
    messages = entries(lang)
    assert {m.id for m in messages} >= template_ids()
    assert [m.id for m in messages if not m.string] == []
    assert [m.id for m in messages if m.fuzzy] == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_placeholders_survive_translation(lang):
    for m in entries(lang):
        # a plural entry's every form keeps the placeholders of its singular and plural ids
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in m.string if isinstance(m.string, tuple) else (m.string,):
            assert set(PLACEHOLDER.findall(string)) == wanted, m.id


def test_vietnamese_catalogue_is_nfc():
    for m in entries("vi"):
        for string in m.string if isinstance(m.string, tuple) else (m.string,):
            assert unicodedata.is_normalized("NFC", string), m.id


def test_catalogue_template_matches_the_code():
    """Every string the templates and code mark is in the template (run `make extract`)."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parents[1]
    found = set()
    for folder, method in (("newsportal", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root / folder),
            method_map=[(pattern, method)],
            keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None},
            directory_filter=lambda _path: True,
        ):
            found.add(message if isinstance(message, str) else message[0])
    assert found - template_ids() == set()
