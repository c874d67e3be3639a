from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from ..forms import Form, email_field, too_long
from ..text import clean_line
from .passwords import MAX_LENGTH


class LoginForm(Form):
    email = email_field(_l("Please enter your email."))
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Please enter your password.")),
            Length(max=1024, message=_l("The password is too long.")),
        ],
    )


ROLE_LABELS = {
    "admin": _l("Administrator"),
    "editor": _l("Editor"),
    "moderator": _l("Moderator"),
}


class NewUserForm(Form):
    static_choices: ClassVar[dict[str, list[tuple[str, Any]]]] = {"role": list(ROLE_LABELS.items())}

    email = email_field(_l("Please enter the email."))
    name = StringField(
        _l("Name"),
        filters=[clean_line],
        validators=[
            InputRequired(_l("Please enter the name.")),
            Length(max=120, message=too_long(120)),
        ],
    )
    role = SelectField(_l("Role"))  # the choices are checked; `required` would need a blank one
    password = PasswordField(
        _l("Password"),
        description=_l(
            "At least 12 characters and hard to guess. Give it to the person in person; "
            "they can ask an administrator for a new one at any time."
        ),
        validators=[
            InputRequired(_l("Please enter a password.")),
            Length(max=MAX_LENGTH, message=_l("The password is too long.")),
        ],
    )


class RoleForm(Form):
    static_choices: ClassVar[dict[str, list[tuple[str, Any]]]] = {"role": list(ROLE_LABELS.items())}

    role = SelectField(_l("Role"))  # the choices are checked; `required` would need a blank one


class PasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(_l("Please enter a password.")),
            Length(max=MAX_LENGTH, message=_l("The password is too long.")),
        ],
    )
