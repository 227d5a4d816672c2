"""Forms of the classes pages (the attendance grid and bare POSTs use formkit.ActionForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ..formkit import DATE_FORMATS, CheckboxList, choice_list, text_field
from .models import FORMATS

ALL, SHARE = "all", "share"
BAD_DATE = "Ngày học: không hợp lệ, nhập theo dạng ngày/tháng/năm, ví dụ 02/03/2026."
TIME_HINT = "nhập giờ:phút, ví dụ 08:00"


class BlankableInteger(IntegerField):
    """A whole number that may be left blank (then None) without an error."""

    def process_formdata(self, valuelist) -> None:
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class ClassForm(FlaskForm):
    """Create or edit a class."""

    title = text_field("Tên lớp", 200, required="Tên lớp: hãy nhập tên lớp.")
    format = SelectField(
        "Hình thức",
        choices=choice_list(FORMATS.items()),
        invalid_choice_message="Hình thức: chọn trực tiếp, trực tuyến hoặc kết hợp.",
    )
    place = text_field("Địa điểm", 300)
    meeting_url = text_field("Đường dẫn phòng họp trực tuyến", 500, name="Đường dẫn phòng họp")
    trainers = text_field("Giảng viên", 300)
    description = text_field("Mô tả", 5000, area=True)
    modules = CheckboxList(
        "Chuyên đề của lớp",
        choices=[],
        invalid_choice_message="Chuyên đề: không có chuyên đề đã xuất bản mã %(value)s.",
    )
    plans = CheckboxList(
        "Kế hoạch bồi dưỡng lớp thực hiện",
        choices=[],
        invalid_choice_message="Kế hoạch: không có kế hoạch mã %(value)s.",
    )
    rule = RadioField(
        "Điều kiện hoàn thành lớp",
        choices=choice_list([(ALL, "Dự tất cả các buổi"), (SHARE, "Dự ít nhất một tỷ lệ số buổi")]),
        default=ALL,
        invalid_choice_message="Điều kiện hoàn thành: chọn một trong hai cách.",
    )
    percent = BlankableInteger(
        "Tỷ lệ số buổi tối thiểu (%)",
        invalid_value_message="Tỷ lệ số buổi phải là một số nguyên (phần trăm).",
    )

    def validate_percent(self, field) -> None:
        """Needed, from 1 to 100, only when the rule is a share of the sessions."""
        if self.rule.data != SHARE:
            return
        if field.data is None:
            raise ValidationError("Tỷ lệ số buổi: hãy nhập tỷ lệ (từ 1 đến 100 %).")
        if not 1 <= field.data <= 100:
            raise ValidationError("Tỷ lệ số buổi: từ 1 đến 100 %.")

    @property
    def min_percent(self) -> int:
        """The outcome rule as the class stores it."""
        return 100 if self.rule.data != SHARE else int(self.percent.data or 100)


class SessionForm(FlaskForm):
    """Add or edit a session: a local day, start and end times, a topic."""

    day = DateField(
        "Ngày học",
        validators=[InputRequired("Ngày học: hãy nhập ngày.")],
        format=DATE_FORMATS,
        invalid_value_message=BAD_DATE,
    )
    start = TimeField(
        "Giờ bắt đầu",
        validators=[InputRequired("Giờ bắt đầu: hãy nhập giờ.")],
        invalid_value_message=f"Giờ bắt đầu: không hợp lệ, {TIME_HINT}.",
    )
    end = TimeField(
        "Giờ kết thúc",
        validators=[InputRequired("Giờ kết thúc: hãy nhập giờ.")],
        invalid_value_message=f"Giờ kết thúc: không hợp lệ, {TIME_HINT}.",
    )
    topic = text_field("Nội dung buổi học", 200)


class AddPersonForm(FlaskForm):
    """Put one official (found by the search box) on the roster."""

    user_id = IntegerField(
        "Học viên",
        validators=[InputRequired("Học viên: chọn một người trong kết quả tìm."),
                    NumberRange(1, 2**31 - 1, "Học viên: không tìm thấy người đã chọn.")],
        invalid_value_message="Học viên: không tìm thấy người đã chọn.",
    )  # fmt: skip


class AddUnitForm(FlaskForm):
    """Put a whole unit (with the units below it) on the roster."""

    unit = SelectField(
        "Đơn vị (gồm cả đơn vị cấp dưới)",
        choices=[],
        validate_choice=True,
        invalid_choice_message="Đơn vị: không tìm thấy đơn vị đã chọn.",
    )


class CheckinForm(FlaskForm):
    """An official confirms attendance with the code shown in the room."""

    code = text_field("Mã điểm danh", 20, required="Mã điểm danh: hãy nhập mã trên màn hình.")
    session = HiddenField()
