"""The form of a quiz written in the browser."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from ...formkit import choice_list, slug_field, text_field
from ..models import REVIEW_POLICIES
from ..quiz_loader import MAX_ATTEMPTS, MAX_TIME_LIMIT


class QuizForm(FlaskForm):
    """A quiz written in the browser."""

    slug = slug_field("Mã bài kiểm tra", required="Nhập mã bài kiểm tra.")
    title = text_field("Tên bài kiểm tra", 200, required="Nhập tên bài kiểm tra.")
    module = text_field("Chuyên đề (mã, không bắt buộc)", 80, name="Chuyên đề")
    description = text_field("Giới thiệu (Markdown)", 20_000, name="Giới thiệu", area=True)
    draws = text_field(
        "Cách rút câu hỏi", 5_000, required="Ghi ít nhất một dòng rút câu hỏi.", area=True
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
    opens = text_field("Mở từ (ngày/tháng/năm giờ:phút, không bắt buộc)", 40, name="Mở từ")
    closes = text_field("Đóng lúc (ngày/tháng/năm giờ:phút, không bắt buộc)", 40, name="Đóng lúc")
