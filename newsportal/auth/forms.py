from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ..forms import Form
from ..text import clean_line


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        filters=[clean_line],
        validators=[
            InputRequired(_l("Please enter your email.")),
            Length(max=254, message=_l("The email address is too long.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Please enter your password.")),
            Length(max=1024, message=_l("The password is too long.")),
        ],
    )
