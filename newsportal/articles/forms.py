from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..content.forms import ERRORS as CONTENT_ERRORS
from ..content.forms import ContentFields, local_time_field, order_field
from ..forms import Form, int_or_none, too_long
from ..text import clean_line, nfc

# Service error codes -> what the editor reads next to the field.
ERRORS = {
    **CONTENT_ERRORS,
    "published": _l("The address of a published article cannot change: readers' links use it."),
    "unknown": _l("Choose a category from the list."),
    "in_use": _l("This category still has articles. Move them first."),
    "future_live": _l(
        "A published article cannot be moved to a future time. Unpublish it first, then "
        "schedule it."
    ),
    "alt_required": _l("Describe the picture for readers who cannot see it."),
    "unknown_image": _l("Choose a picture from the list."),
    "tag_too_long": _l("A tag has at most 40 characters."),
    "tag_no_letter": _l("Each tag needs at least one letter or digit."),
    "too_many_tags": _l("At most 10 tags on an article."),
    # what the desk flashes (content/desk.py)
    "expired": _l(
        "Your session had expired, so the article was not saved yet. "
        "Everything you typed is below: save again."
    ),
    "not_saved": _l("The article was not saved. Check the fields marked below."),
    "unpublished": _l("The article is no longer public. It is kept as a draft."),
    # review before publishing (content/review.py)
    "not_allowed": _l("Your role cannot do this: an editor publishes articles."),
    "not_yours": _l("You can change only the articles you wrote."),
    "in_review": _l(
        "This article is waiting for review, so it cannot be changed now. If an editor sends "
        "it back, you can edit it again."
    ),
    "submit_only": _l(
        "This article is published: send your changes for review, and readers will see them "
        "once an editor approves them."
    ),
    "not_pending": _l("This article is not waiting for review."),
    "too_long": _l("The note is too long (at most 2,000 characters)."),
}


class ArticleForm(ContentFields, Form):
    title = StringField(
        _l("Title"),
        filters=[clean_line],
        validators=[
            InputRequired(_l("Please enter a title.")),
            Length(max=300, message=too_long(300)),
        ],
    )
    byline = StringField(
        _l("Byline"), filters=[clean_line], validators=[Length(max=120, message=too_long(120))]
    )
    category_id = SelectField(_l("Category"), coerce=int_or_none, validate_choice=True)
    published_at = local_time_field(_l("Publication time (Vietnam time)"))
    comments_enabled = BooleanField(_l("Readers may comment"), default=True)
    featured_image_id = SelectField(
        _l("Featured picture"), coerce=int_or_none, validate_choice=True
    )
    featured_image_alt = StringField(
        _l("Picture description (alt text)"),
        filters=[clean_line],
        validators=[Length(max=300, message=too_long(300))],
    )
    featured_image_caption = StringField(
        _l("Caption"),
        filters=[clean_line],
        validators=[Length(max=300, message=too_long(300))],
    )

    tags = StringField(
        _l("Tags"),
        filters=[clean_line],
        validators=[Length(max=600, message=too_long(600))],
    )


SORTS = ("updated", "updated_asc", "published", "title", "title_desc", "status")


class ArticleFilterForm(Form):
    """The desk's list: GET arguments, each checked; one that fails is ignored and says so."""

    class Meta:
        csrf = False  # a GET that changes nothing

    static_choices = {
        "state": [
            ("", _l("All")),
            ("draft", _l("Draft")),
            ("scheduled", _l("Scheduled")),
            ("published", _l("Published")),
        ],
        "sort": [
            ("updated", _l("Last saved, newest first")),
            ("updated_asc", _l("Last saved, oldest first")),
            ("published", _l("Publication time, newest first")),
            ("title", _l("Title, A to Z")),
            ("title_desc", _l("Title, Z to A")),
            ("status", _l("Status")),
        ],
    }
    q = StringField(
        _l("Title contains"),
        filters=[clean_line],
        validators=[Length(max=100, message=too_long(100))],
    )
    author = SelectField(_l("Author"), coerce=int_or_none, validate_choice=True)
    state = SelectField(_l("Status"), default="", validate_choice=True)
    category = SelectField(_l("Category"), coerce=int_or_none, validate_choice=True)
    tag = StringField(
        _l("Tag"), filters=[clean_line], validators=[Length(max=40, message=too_long(40))]
    )
    sort = SelectField(_l("Sort by"), default="updated", validate_choice=True)

    def valid(self, name: str) -> Any:
        """The field's value, or its default when it failed its checks (shown beside it)."""
        field = getattr(self, name)
        if field.errors:
            return field.default
        return field.data


class ApproveForm(Form):
    published_at = local_time_field(_l("Publication time (Vietnam time)"))


class SendBackForm(Form):
    note = TextAreaField(
        _l("Editor's note"),
        filters=[nfc],
        validators=[
            InputRequired(_l("Write what the writer should change.")),
            Length(max=2000, message=too_long(2000)),
        ],
    )


class PreviewForm(Form):
    body = TextAreaField(filters=[nfc], validators=[Length(max=200_000, message=too_long(200_000))])


def optional_time(value: object) -> datetime | None:
    """A publication time as the preview reads it: one that cannot be read is none (now)."""
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def optional_id(value: object) -> int | None:
    """A choice's id as the preview reads it: an id that cannot be read is no choice."""
    try:
        return int_or_none(value)
    except ValueError:
        return None


class ArticlePreviewForm(PreviewForm):
    """The whole article form as the live preview sends it: nothing is required, a field that
    cannot be read is left out of the preview (the save checks it)."""

    title = StringField(filters=[clean_line], validators=[Length(max=300)])
    lead = TextAreaField(filters=[nfc], validators=[Length(max=2000)])
    byline = StringField(filters=[clean_line], validators=[Length(max=120)])
    category_id = StringField(
        filters=[clean_line], validators=[Length(max=20)]
    )  # optional_id reads it
    featured_image_id = StringField(filters=[clean_line], validators=[Length(max=20)])
    featured_image_alt = StringField(filters=[clean_line], validators=[Length(max=300)])
    featured_image_caption = StringField(filters=[clean_line], validators=[Length(max=300)])
    published_at = StringField(filters=[clean_line], validators=[Length(max=25)])  # optional_time


class CategoryForm(Form):
    name = StringField(
        _l("Name"),
        filters=[clean_line],
        validators=[
            InputRequired(_l("Please enter a name.")),
            Length(max=120, message=too_long(120)),
        ],
    )
    slug = StringField(
        _l("Address (slug)"),
        filters=[clean_line],
        validators=[Length(max=140, message=too_long(140))],
    )
    position = order_field()
