"""Forms of the administration pages (bare POSTs use formkit.ActionForm)."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from ..access import ROLE_LABELS
from ..formkit import DATE_FORMATS, CheckboxList, text_field
from ..org.models import LEVELS
from .choices import choice_list

# WTForms ships no Vietnamese messages, so every validator gets its own.
PARENT_NOT_FOUND = "Đơn vị cấp trên: không tìm thấy đơn vị đã chọn."
BAD_DATE = "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."


class UserForm(FlaskForm):
    """Create or edit an account."""

    username = text_field("Tên đăng nhập", 64, required="Nhập tên đăng nhập.")
    full_name = text_field("Họ và tên", 200, required="Nhập họ và tên.")
    email = text_field("Email", 254)
    position = text_field("Chức danh", 200)
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

    code = text_field("Mã đơn vị", 32, required="Nhập mã đơn vị.")
    name = text_field("Tên đơn vị", 200, required="Nhập tên đơn vị.")
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


class WorkdayOverrideForm(FlaskForm):
    """Make a day a working day or a day off, as an announcing document says."""

    day = DateField(
        "Ngày",
        validators=[InputRequired("Nhập ngày.")],
        format=DATE_FORMATS,
        invalid_value_message=BAD_DATE,
    )
    working = SelectField(
        "Điều chỉnh",
        choices=choice_list([("0", "Ngày nghỉ"), ("1", "Ngày làm việc (làm bù)")]),
        invalid_choice_message="Chọn ngày làm việc hoặc ngày nghỉ.",
    )
    reason = text_field("Lý do", 200, required="Nhập lý do.")
    source = text_field("Văn bản thông báo", 200, required="Nhập văn bản thông báo.")
