from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from ..text import clean_line


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[clean_line],
        validators=[InputRequired(_l("Please enter your email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please enter your password.")), Length(max=1024)],
    )
