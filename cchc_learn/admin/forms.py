"""Forms of the administration pages."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import ROLE_LABELS
from ..org.models import LEVELS
from .choices import choice_list

# WTForms ships no Vietnamese messages, so every validator gets its own.
PARENT_NOT_FOUND = "Đơn vị cấp trên: không tìm thấy đơn vị đã chọn."
BAD_DATE = "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
# Date pickers send ISO dates; browsers without one let people type dd/mm/yyyy.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CheckboxList(SelectMultipleField):
    """Several checkboxes for one multi-valued field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    """Create or edit an account."""

    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired("Nhập tên đăng nhập."),
            Length(max=64, message="Tên đăng nhập: tối đa 64 ký tự."),
        ],
    )
    full_name = StringField(
        "Họ và tên",
        validators=[
            DataRequired("Nhập họ và tên."),
            Length(max=200, message="Họ và tên: tối đa 200 ký tự."),
        ],
    )
    email = StringField(
        "Email", validators=[Optional(), Length(max=254, message="Email: tối đa 254 ký tự.")]
    )
    position = StringField(
        "Chức danh",
        validators=[Optional(), Length(max=200, message="Chức danh: tối đa 200 ký tự.")],
    )
    unit = SelectField(
        "Đơn vị",
        choices=[],
        validate_choice=True,
        invalid_choice_message="Đơn vị: không tìm thấy đơn vị đã chọn.",
    )
    roles = CheckboxList(
        "Vai trò",
        choices=choice_list(ROLE_LABELS.items()),
        invalid_choice_message="Vai trò không hợp lệ: %(value)s.",
    )


class UnitForm(FlaskForm):
    """Create or edit a unit."""

    code = StringField(
        "Mã đơn vị",
        validators=[
            DataRequired("Nhập mã đơn vị."),
            Length(max=32, message="Mã đơn vị: tối đa 32 ký tự."),
        ],
    )
    name = StringField(
        "Tên đơn vị",
        validators=[
            DataRequired("Nhập tên đơn vị."),
            Length(max=200, message="Tên đơn vị: tối đa 200 ký tự."),
        ],
    )
    level = SelectField(
        "Cấp",
        choices=choice_list(LEVELS.items()),
        invalid_choice_message="Cấp đơn vị không hợp lệ.",
    )
    parent = SelectField(
        "Đơn vị cấp trên",
        choices=[],
        validate_choice=True,
        invalid_choice_message=PARENT_NOT_FOUND,
    )
    valid_from = DateField(
        "Hiệu lực từ ngày",
        validators=[Optional()],
        format=DATE_FORMATS,
        invalid_value_message=BAD_DATE,
    )


class MoveUnitForm(FlaskForm):
    """Move a unit under another parent from a date on."""

    parent = SelectField(
        "Đơn vị cấp trên mới",
        choices=[],
        validate_choice=True,
        invalid_choice_message=PARENT_NOT_FOUND,
    )
    on = DateField(
        "Từ ngày", validators=[Optional()], format=DATE_FORMATS, invalid_value_message=BAD_DATE
    )


class ActionForm(FlaskForm):
    """A bare POST (deactivate, reset password…) protected by CSRF."""
