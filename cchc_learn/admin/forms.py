"""Forms of the administration pages."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import ROLE_LABELS
from ..org.models import LEVELS
from .choices import choice_list


class CheckboxList(SelectMultipleField):
    """Several checkboxes for one multi-valued field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    """Create or edit an account."""

    username = StringField(
        "Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)]
    )
    full_name = StringField(
        "Họ và tên", validators=[DataRequired("Nhập họ và tên."), Length(max=200)]
    )
    email = StringField("Email", validators=[Optional(), Length(max=254)])
    position = StringField("Chức danh", validators=[Optional(), Length(max=200)])
    unit = SelectField("Đơn vị", choices=[], validate_choice=True)
    roles = CheckboxList("Vai trò", choices=choice_list(ROLE_LABELS.items()))


class UnitForm(FlaskForm):
    """Create or edit a unit."""

    code = StringField("Mã đơn vị", validators=[DataRequired("Nhập mã đơn vị."), Length(max=32)])
    name = StringField("Tên đơn vị", validators=[DataRequired("Nhập tên đơn vị."), Length(max=200)])
    level = SelectField("Cấp", choices=choice_list(LEVELS.items()))
    parent = SelectField("Đơn vị cấp trên", choices=[], validate_choice=True)
    valid_from = DateField("Hiệu lực từ ngày", validators=[Optional()])


class MoveUnitForm(FlaskForm):
    """Move a unit under another parent from a date on."""

    parent = SelectField("Đơn vị cấp trên mới", choices=[], validate_choice=True)
    on = DateField("Từ ngày", validators=[Optional()])


class ActionForm(FlaskForm):
    """A bare POST (deactivate, reset password…) protected by CSRF."""
