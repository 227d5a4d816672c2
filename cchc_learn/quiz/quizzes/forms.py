"""The form of a quiz written in the browser."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...formkit import choice_list
from ..models import REVIEW_POLICIES
from ..quiz_loader import MAX_ATTEMPTS, MAX_TIME_LIMIT


class QuizForm(FlaskForm):
    """A quiz written in the browser."""

    slug = StringField(
        "Mã bài kiểm tra",
        validators=[
            DataRequired("Nhập mã bài kiểm tra."),
            Length(max=100, message="Tối đa 100 ký tự."),
        ],
    )
    title = StringField(
        "Tên bài kiểm tra",
        validators=[
            DataRequired("Nhập tên bài kiểm tra."),
            Length(max=200, message="Tối đa 200 ký tự."),
        ],
    )
    module = StringField(
        "Chuyên đề (mã, không bắt buộc)",
        validators=[Optional(), Length(max=80, message="Tối đa 80 ký tự.")],
    )
    description = TextAreaField(
        "Giới thiệu (Markdown)",
        validators=[Optional(), Length(max=20_000, message="Giới thiệu: tối đa 20.000 ký tự.")],
    )
    draws = TextAreaField(
        "Cách rút câu hỏi",
        validators=[
            DataRequired("Ghi ít nhất một dòng rút câu hỏi."),
            Length(max=5_000, message="Tối đa 5.000 ký tự."),
        ],
    )
    time_limit = IntegerField(
        "Thời gian làm bài (phút)",
        validators=[Optional(), NumberRange(1, MAX_TIME_LIMIT, "Từ 1 đến 1.440 phút.")],
    )
    attempts = IntegerField(
        "Số lượt làm bài tối đa",
        validators=[Optional(), NumberRange(1, MAX_ATTEMPTS, "Từ 1 đến 100 lượt.")],
    )
    pass_mark = IntegerField(
        "Điểm đạt (%)",
        default=70,
        validators=[
            DataRequired("Nhập điểm đạt từ 1 đến 100."),
            NumberRange(1, 100, "Từ 1 đến 100."),
        ],
    )
    review = SelectField(
        "Xem đáp án",
        choices=choice_list(REVIEW_POLICIES.items()),
        default="immediately",
        invalid_choice_message="Cách xem đáp án không hợp lệ.",
    )
    shuffle_questions = BooleanField("Xáo trộn thứ tự câu hỏi", default=True)
    shuffle_options = BooleanField("Xáo trộn thứ tự phương án", default=True)
    essays = BooleanField("Rút cả câu tự luận (giảng viên chấm tay)", default=False)
    opens = StringField(
        "Mở từ (ngày/tháng/năm giờ:phút, không bắt buộc)",
        validators=[Optional(), Length(max=40, message="Tối đa 40 ký tự.")],
    )
    closes = StringField(
        "Đóng lúc (ngày/tháng/năm giờ:phút, không bắt buộc)",
        validators=[Optional(), Length(max=40, message="Tối đa 40 ký tự.")],
    )
