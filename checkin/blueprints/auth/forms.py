from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from checkin.blueprints.form_base import Form


class LoginForm(Form):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail.")), Email(_l("Enter a valid e-mail."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
