from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..errors import FieldError
from ..forms import Form, email_field, too_long
from ..models import Role
from ..text import clean_line
from .passwords import MAX_LENGTH, MIN_LENGTH

# What each FieldError code of auth.services (and passwords) says to the person at the form.
ACCOUNT_ERRORS = {
    "invalid_email": _l("This is not a valid email address."),
    "required": _l("Please enter the name."),
    "taken": _l("An account with this email already exists."),
    "password_short": _l("The password must be at least %(n)d characters.", n=MIN_LENGTH),
    "password_long": _l("The password is too long."),
    "password_guessable": _l(
        "This password is too easy to guess: it is a common password or close to one, "
        "or it contains your name or email. Use a few unrelated words."
    ),
    "self_deactivate": _l("You cannot deactivate your own account."),
    "self_demote": _l("You cannot take the administrator role from yourself."),
    "unknown_role": _l("Choose one of the roles."),
    "unknown_user": _l("There is no such account."),
    "throttled": _l("Too many failed sign-ins. Wait a few minutes, then try again."),
    "invalid_token": _l("This link has expired or has been used already. Ask for a new one below."),
}


def account_message(error: FieldError) -> str:
    return str(ACCOUNT_ERRORS[error.code])


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
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Editor"),
    Role.MODERATOR: _l("Moderator"),
    Role.REPORTER: _l("Reporter / contributor"),
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


class ForgotPasswordForm(Form):
    email = email_field(_l("Please enter your email."))


class ResetPasswordForm(PasswordForm):
    confirm = PasswordField(
        _l("New password, again"),
        validators=[
            InputRequired(_l("Please type the new password again.")),
            Length(max=MAX_LENGTH, message=_l("The password is too long.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )
