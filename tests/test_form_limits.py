"""Every free-text field of every form has a length limit, and none is above its column's.

A field without one lets a visitor post megabytes into a row; a limit above the column's is a
database error (PostgreSQL) or a silently longer value (SQLite) instead of a form message.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from wtforms import StringField
from wtforms.validators import Length

import newsportal
from newsportal import models
from newsportal.forms import Form

# The model each form fills, and form field -> column where the names differ.
FILLS: dict[str, tuple[Any, dict[str, str]]] = {
    "CommentForm": (models.Comment, {}),
    "ReplyForm": (models.CommentReply, {}),
    "ModerationForm": (models.Comment, {}),
    "LoginForm": (models.User, {}),
    "NewUserForm": (models.User, {}),
    "PasswordForm": (models.User, {}),
    "ForgotPasswordForm": (models.User, {}),
    "ResetPasswordForm": (models.User, {}),
    "UnsubscribeForm": (models.Comment, {}),  # a button: no field
    "RoleForm": (models.User, {}),
    "ArticleForm": (models.Article, {"body": "body_md"}),  # tags: names, each 40 (services)
    "ArticleFilterForm": (models.Article, {"q": "title", "tag": "title"}),  # read, never stored
    "PreviewForm": (models.Article, {"body": "body_md"}),
    "ApproveForm": (models.Article, {}),
    "SendBackForm": (models.Review, {}),  # the editor's note
    "ArticlePreviewForm": (models.Article, {"body": "body_md"}),
    "CategoryForm": (models.Category, {}),
    "PageForm": (models.Page, {"body": "body_md"}),
    "SessionForm": (models.ReceptionSession, {}),
    "ResultForm": (models.PublishedResult, {}),
    "DocumentForm": (models.LegalDocument, {}),
    "PersonalDataForm": (models.Comment, {}),  # whose comments: their email
    "EraseForm": (models.Comment, {"confirm": "email"}),
    "CorrectForm": (models.Comment, {"new_name": "name", "new_email": "email"}),
}


def all_forms() -> list[type[Form]]:
    for module in pkgutil.walk_packages(newsportal.__path__, "newsportal."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    return sorted(subclasses(Form), key=lambda c: c.__name__)


def text_fields(form_class: type[Form]) -> list[tuple[str, Any]]:
    """(name, unbound field) of every field a person types text into (hidden ones included)."""
    fields = []
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        if getattr(unbound, "field_class", None) and issubclass(unbound.field_class, StringField):
            fields.append((name, unbound))
    return fields


def test_every_form_is_known():
    names = {form.__name__ for form in all_forms()}
    # those have no text fields (an autosave's are bounded by the edit form's own limits)
    assert names - {"ActionForm", "ImageForm", "AutosaveForm"} == set(FILLS)


FIELDS = [
    pytest.param(form, name, unbound, id=f"{form.__name__}.{name}")
    for form in all_forms()
    for name, unbound in text_fields(form)
]


@pytest.mark.parametrize(("form", "name", "unbound"), FIELDS)
def test_text_field_has_a_length_limit_within_its_column(form, name, unbound):
    limits = [
        v.max
        for v in unbound.kwargs.get("validators", [])
        if isinstance(v, Length) and v.max is not None and v.max >= 0
    ]
    assert limits, f"{form.__name__}.{name} has no Length(max=...)"
    model, renamed = FILLS[form.__name__]
    column = model.__table__.columns.get(renamed.get(name, name))
    length = getattr(column.type, "length", None) if column is not None else None
    if length is not None:
        assert max(limits) <= length, f"{form.__name__}.{name}: {max(limits)} > column {length}"


def test_fields_were_found():
    assert len(FIELDS) >= 35
