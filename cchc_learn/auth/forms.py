"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        "Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)]
    )
    password = PasswordField(
        "Mật khẩu", validators=[DataRequired("Nhập mật khẩu."), Length(max=256)]
    )
    next = HiddenField()


class TotpForm(FlaskForm):
    """A six-digit code from an authenticator app."""

    code = StringField(
        "Mã xác thực (6 chữ số)",
        validators=[DataRequired("Nhập mã xác thực."), Length(max=12)],
    )


class TotpSetupForm(TotpForm):
    """Confirming a new authenticator app; the secret travels signed in the session."""


class ChangePasswordForm(FlaskForm):
    """Current password and the new one twice."""

    current = PasswordField(
        "Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại."), Length(max=256)]
    )
    new = PasswordField(
        "Mật khẩu mới", validators=[DataRequired("Nhập mật khẩu mới."), Length(max=256)]
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[DataRequired("Nhập lại mật khẩu mới."), Length(max=256)],
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""
