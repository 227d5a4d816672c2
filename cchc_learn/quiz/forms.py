"""Forms of the quiz pages (every POST goes through Flask-WTF for its CSRF token)."""

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..formkit import choice_list
from ..numbers import vi_number
from .essay_grading import MAX_COMMENT
from .formats.numbers import as_float, parse_decimal
from .models import REVIEW_POLICIES
from .quiz_loader import MAX_ATTEMPTS, MAX_TIME_LIMIT


class ActionForm(FlaskForm):
    """A bare POST protected by CSRF."""


class ItemForm(FlaskForm):
    """One question in the Markdown question format."""

    text = TextAreaField(
        "Câu hỏi (định dạng Markdown)",
        validators=[
            DataRequired("Viết nội dung câu hỏi."),
            Length(max=100_000, message="Câu hỏi: tối đa 100.000 ký tự."),
        ],
    )


class BankForm(FlaskForm):
    """A new, empty bank."""

    slug = StringField(
        "Mã ngân hàng",
        validators=[
            DataRequired("Nhập mã ngân hàng."),
            Length(max=100, message="Tối đa 100 ký tự."),
        ],
    )
    title = StringField(
        "Tên ngân hàng",
        validators=[
            DataRequired("Nhập tên ngân hàng."),
            Length(max=200, message="Tối đa 200 ký tự."),
        ],
    )


class ImportForm(FlaskForm):
    """A bank file to upload, and the bank it goes into."""

    file = FileField(
        "Tệp .md (Markdown) hoặc .gift (Moodle GIFT)",
        validators=[FileRequired("Hãy chọn tệp cần nhập.")],
    )
    bank = StringField(
        "Mã ngân hàng nhận câu hỏi",
        validators=[
            DataRequired("Nhập mã ngân hàng."),
            Length(max=100, message="Tối đa 100 ký tự."),
        ],
    )
    title = StringField(
        "Tên ngân hàng (khi tạo mới)",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
    )


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


class EssayGradeForm(FlaskForm):
    """A trainer's grade of one essay: points (decimal comma or point) and a comment."""

    score = StringField(
        "Điểm",
        validators=[
            DataRequired("Nhập điểm của câu này."),
            Length(max=20, message="Điểm: tối đa 20 ký tự."),
        ],
    )
    comment = TextAreaField(
        "Nhận xét cho học viên (không bắt buộc)",
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message="Nhận xét: tối đa 5.000 ký tự."),
        ],
    )

    def __init__(self, *args, maximum: float = 1.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.maximum = maximum
        self.points: float | None = None

    def validate_score(self, field) -> None:
        """Read the points: a finite number from 0 to the item's maximum."""
        top = vi_number(self.maximum)
        value = parse_decimal(field.data or "")
        if value is None:
            raise ValidationError(
                f"Điểm phải là một số từ 0 đến {top}, phần thập phân viết sau dấu phẩy hoặc "
                "dấu chấm (ví dụ 0,75)."
            )
        if not Decimal(0) <= value <= Decimal(str(self.maximum)):
            raise ValidationError(f"Điểm phải từ 0 đến {top}; bạn nhập {field.data.strip()}.")
        self.points = as_float(value)
