from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from ..errors import FieldError
from ..forms import Form, email_field, too_long
from ..keys import signing_keys
from ..markup import fragment
from ..text import clean_line, nfc
from . import form_token, stamp

# What the form says for each FieldError("form", code) of services.submit_comment.
REFUSALS = {
    "closed": lambda: _("Comments are closed for this article."),
    "expired": lambda: _(
        "The form had expired, so your comment was not sent yet. It is still below: "
        "please send it again."
    ),
    "rate": lambda: _(
        "You have sent several comments in a short time. Please wait a few minutes and send "
        "again; your text is kept below."
    ),
    # Said to readers who may never have had a session: no word of one.
    "csrf": lambda: _(
        "The form could not be checked (it was open a long time, or came from another site), "
        "so your comment was not sent yet. It is still below: please send it again."
    ),
}

REJECT_REASONS = [
    ("off-topic", _l("Off-topic")),
    ("offensive", _l("Offensive or abusive")),
    ("spam", _l("Spam or advertising")),
    ("personal-data", _l("Contains personal data")),
    ("wrong-channel", _l("Wrong channel: see the complaints and denunciations guidance")),
    ("unverified", _l("Unverified or misleading claims")),
]


class CommentForm(Form):
    name = StringField(
        _l("Full name"),
        filters=[clean_line],
        validators=[
            InputRequired(_l("Please enter your full name.")),
            Length(max=80, message=_l("Your name can be at most 80 characters.")),
        ],
    )
    email = email_field(
        _l("Please enter your email."),
        Email(_l("The email address is not valid."), check_deliverability=False),
    )
    body = TextAreaField(
        _l("Comment"),
        filters=[nfc],
        validators=[
            InputRequired(_l("Please write your comment.")),
            Length(min=3, max=3000, message=_l("A comment is 3 to 3,000 characters long.")),
        ],
    )
    consent = BooleanField(
        _l(
            "I agree that my name and email are processed to moderate and answer my comment "
            "and, only if I tick the box below, to email me about it."
        ),
        validators=[InputRequired(_l("Please tick the box to agree before sending."))],
    )
    # Unticked unless the reader ticks it: the one way a reader's address ever gets an email.
    notify = BooleanField(
        _l(
            "Email me when my comment is approved or answered by the editorial board "
            "(at most a few emails a day, each with a link to stop them)."
        ),
        default=False,
    )
    # Left empty by people; bots that fill every field give themselves away.
    # Bounded like every text field, though no person types into them.
    website = StringField(
        _l("Leave this field empty"),
        validators=[Optional(), Length(max=200, message=too_long(200))],
    )
    ts = HiddenField(validators=[Length(max=200, message=too_long(200))])
    shared_token = ""  # set by new_form on a shared page

    def validate_sent(self, shared_token_ok: bool) -> bool:
        """Valid, taking the shared page's token (form_token.py) in place of a session one."""
        if self.validate():
            return True
        if shared_token_ok and self.meta.csrf and set(self.errors) == {"csrf_token"}:
            self.csrf_token.errors = []
            return True
        return False


# Status and action names as the desk and its audit log say them (never the stored codes).
STATUS_LABELS = {
    "pending": _l("Pending"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "spam": _l("Spam"),
}
ACTION_LABELS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "spam": _l("Mark as spam"),
    "undo": _l("Undo"),
}


class ModerationForm(Form):
    """CSRF, a reason code from REJECT_REASONS (required to reject) and the banned-term
    confirmation (set by the second POST of an approval the desk asked about)."""

    reason = StringField(
        _l("Reason"),
        validators=[Optional(), Length(max=40, message=_l("Choose a reason from the list."))],
    )
    confirm = BooleanField(_l("Approve even though a banned term was found"))

    def validate_for(self, action: str) -> bool:
        """Valid to `action`: a rejection needs a reason chosen from the list."""
        if not self.validate_on_submit():
            return False
        if action == "reject" and (self.reason.data or "") not in dict(REJECT_REASONS):
            self.reason.errors = [_("Choose a reason for rejecting the comment.")]
            return False
        return True

    def reason_label(self) -> str:
        return str(dict(REJECT_REASONS).get(self.reason.data or "", ""))


class ReplyForm(Form):
    body = TextAreaField(
        _l("Reply from the editorial board"),
        filters=[nfc],
        validators=[
            InputRequired(_l("Please write the reply.")),
            Length(min=2, max=5000, message=_l("Please write the reply (2 to 5,000 characters).")),
        ],
    )


def new_form(article_id: int) -> CommentForm:
    # A page shared by every reader must not hold (or create) this reader's CSRF token: making
    # one writes the session and the page could no longer be shared. It holds the form's shared
    # token instead (form_token.py), the same for every reader of the page.
    keys = signing_keys(current_app.config)
    form = CommentForm(meta={"csrf": False}) if g.get("shared_page") else CommentForm()
    form.ts.data = stamp.issue(keys)
    form.shared_token = form_token.issue(keys, article_id, form.ts.data)
    return form


EMPTY_FIELDS = "newsportal.comments.empty_fields"  # app.extensions: per language


def empty_fields() -> Markup | None:
    """A new form's fields as a shared page shows them (no data, no errors, no reader's token:
    the same on every article), rendered once per language in each app server. None where the
    page is a reader's own or FRAGMENT_CACHE_ENABLED is off: the template renders the form."""
    if not g.get("shared_page") or not current_app.config["FRAGMENT_CACHE_ENABLED"]:
        return None
    kept: dict[str, Markup] = current_app.extensions.setdefault(EMPTY_FIELDS, {})
    locale = str(get_locale())  # one of the site's languages: at most two entries
    if locale not in kept:
        empty = CommentForm(formdata=None, meta={"csrf": False})
        kept[locale] = fragment("comments/_form_fields.html", form=empty)
    return kept[locale]


class PersonalDataForm(Form):
    """Whose data: the email a person asked about (the admin's personal-data desk)."""

    email = email_field(_l("Enter the email address."))


class EraseForm(PersonalDataForm):
    """Erasure asks twice: the address typed again must match before anything goes."""

    confirm = StringField(
        _l("Type the email address again to confirm"),
        filters=[clean_line],
        validators=[Length(max=254, message=_l("The email address is too long."))],
    )


# What the correction form says for each FieldError code of personal_data.correct.
CORRECTION_REFUSALS: dict[str, Callable[[FieldError], object]] = {
    "invalid": lambda error: _("The email address is not valid."),
    "length": lambda error: too_long(int(str(error.details.get("max", 0)))),
    "nothing": lambda error: _("Enter the correct name, the correct email address, or both."),
}


class CorrectForm(PersonalDataForm):
    """The right to correct: a new name and/or email for every comment of `email`, each checked
    as the comment form checks it (the service checks again, for the command line)."""

    new_name = StringField(
        _l("Correct full name"),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=80, message=too_long(80)),
        ],
    )
    new_email = EmailField(
        _l("Correct email address"),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=254, message=_l("The email address is too long.")),
            Email(_l("The email address is not valid."), check_deliverability=False),
        ],
    )
