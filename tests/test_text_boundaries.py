"""Every place where outside text comes in passes it through the cleaning in newsportal/text.py.

The forms' filters (all of them, found by walking the Form classes), the Markdown importer, the
comment pipeline called directly, the CLI's user names, page saves, moderation rules and
replies, and the search box.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from urllib.parse import quote

import pytest
from wtforms import Form as WTForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import newsportal
from newsportal.comments import moderation
from newsportal.comments import services as comment_services
from newsportal.extensions import db
from newsportal.models import Article, Comment

from .conftest import all_articles, all_categories, get_user
from .page_helpers import make_page

HOSTILE = "\x01\x85\ufdd0\uffff\U0010ffff"
INVISIBLE = "\u200b\u00ad\u2060\u202e\u2067\ufeff"
# Never stored or shown: honeypot and signed stamp are only compared; a reason is a code from
# a fixed list (the service cleans it too); passwords are kept exactly as typed.
NOT_TEXT = {("CommentForm", "website"), ("ModerationForm", "reason")}


def text_fields() -> list[tuple[str, str, UnboundField]]:
    for module in pkgutil.walk_packages(newsportal.__path__, "newsportal."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo, seen = [], list(WTForm.__subclasses__()), set()
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        # a form's own fields and those of the mixins it is built from (the content core's)
        for cls in form.__mro__:
            if cls in seen or not cls.__module__.startswith("newsportal."):
                continue
            seen.add(cls)
            found.extend(_text_fields_of(cls))
    return found


def _text_fields_of(cls: type) -> list[tuple[str, str, UnboundField]]:
    found = []
    for name, field in vars(cls).items():
        if not isinstance(field, UnboundField):
            continue
        kind = field.field_class
        if not issubclass(kind, StringField) or issubclass(kind, PasswordField | HiddenField):
            continue
        if (cls.__name__, name) not in NOT_TEXT:
            found.append((cls.__name__, name, field))
    return found


FIELDS = text_fields()


def test_the_walk_finds_the_forms() -> None:
    names = {(form, name) for form, name, _ in FIELDS}
    assert {
        ("CommentForm", "name"),
        ("CommentForm", "body"),
        ("ArticleForm", "title"),
        ("PageForm", "title"),
        ("NewUserForm", "name"),
    } <= names
    assert len(FIELDS) >= 30


@pytest.mark.parametrize(("form", "name", "field"), FIELDS, ids=[f"{f}.{n}" for f, n, _ in FIELDS])
def test_every_form_text_field_is_cleaned(form: str, name: str, field: UnboundField) -> None:
    value: object = f"Đồng{HOSTILE} Tháp{INVISIBLE}"
    for cleaner in field.kwargs.get("filters", ()):
        value = cleaner(value)
    assert isinstance(value, str)
    assert not set(HOSTILE) & set(value), f"{form}.{name}"
    if not issubclass(field.field_class, TextAreaField):  # one line: a name, a title
        assert value == "Đồng Tháp", f"{form}.{name}"


def test_the_importer_cleans_every_field(app, runner, tmp_path) -> None:
    path = tmp_path / "bai.md"
    path.write_text(
        '---\ntitle: "Tin\ufffe mới\u200b"\nauthor: "Minh\u202e Hằng"\ncategory: "Thời\u00ad sự"\n'
        'summary: "Sapo\x85 ngắn\ufdd0"\npublished_at: 2022-04-29T14:47:00\nstatus: published\n'
        "---\nThân\uffff bài \x01**đậm**.\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["articles", "import", str(path)])
    assert result.exit_code == 0, result.output
    (article,) = all_articles(app)
    assert (article.title, article.byline) == ("Tin mới", "Minh Hằng")
    assert (article.lead, article.body_md) == ("Sapo ngắn", "Thân bài **đậm**.")
    assert [category.name for category in all_categories(app)] == ["Thời sự"]


def test_cli_user_names_are_cleaned(app, runner) -> None:
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bien.tap@example.org",
            "--name",
            f"Trần\u202e Thị{HOSTILE} Bích",
            "--role",
            "editor",
            "--password",
            "một-mật-khẩu-dài",
        ]
    )
    assert result.exit_code == 0, result.output
    assert get_user(app, "bien.tap@example.org").name == "Trần Thị Bích"


def test_the_comment_pipeline_cleans_what_it_is_given(app, make_article) -> None:
    """Called without the form (another client of the service): it cleans for itself."""
    article = make_article("Hỗ trợ người lao động")
    with app.app_context():
        outcome = comment_services.submit_comment(
            db.session.get(Article, article.id),
            comment_services.CommentInput(
                name=f"Mai\u202e{HOSTILE} Lan\u200b",
                email="mai@example.org",
                body=f"Bình{HOSTILE} luận\u202e hay.",
                ip="127.0.0.1",
                user_agent=f"UA{HOSTILE}",
                form_age=timedelta(minutes=5),
            ),
            comment_services.Policy(secret="s", rate_limit=None),
        )
        comment = db.session.get(Comment, outcome.comment.id)
        assert (comment.name, comment.body) == ("Mai Lan", "Bình luận hay.")
        assert comment.user_agent == "UA"


def test_page_saves_rules_and_replies_are_cleaned(app, client, make_article) -> None:
    page = make_page(app, f"Hướng dẫn\u202e{HOSTILE}", lead=f"Sapo{HOSTILE}", body_md=f"A{HOSTILE}")
    assert (page.title, page.lead, page.body_md) == ("Hướng dẫn", "Sapo", "A")
    with app.app_context():
        rule = moderation.add_rule("banned", f"\u200blừa{HOSTILE} đảo", None)
        assert rule.value == "lừa đảo"
        article = make_article()
        comment = Comment(
            article_id=article.id,
            name="Mai",
            email="m@example.org",
            body="Hỏi",
            body_html="<p>Hỏi</p>",
            status="approved",
            ip_hash="x",
        )
        db.session.add(comment)
        db.session.commit()
        answer = moderation.reply(comment, None, f"Trả lời{HOSTILE}\u202e.")
        assert answer.body == "Trả lời."


def test_the_search_box_shows_the_query_cleaned(client) -> None:
    typed = quote(f"Đồng\u200b{HOSTILE}\u202e Tháp")
    page = client.get(f"/search?q={typed}").get_data(as_text=True)
    assert 'value="Đồng Tháp"' in page
    assert not set(HOSTILE + INVISIBLE) & set(page)
