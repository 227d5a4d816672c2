"""The form of a trainer's grade of one essay."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from ...formkit import text_field
from ...numbers import vi_number
from ..questions.numbers import as_float, parse_decimal
from .essay_grading import MAX_COMMENT


class EssayGradeForm(FlaskForm):
    """A trainer's grade of one essay: points (decimal comma or point) and a comment."""

    score = text_field("Điểm", 20, required="Nhập điểm của câu này.")
    comment = text_field(
        "Nhận xét cho học viên (không bắt buộc)", MAX_COMMENT, name="Nhận xét", area=True
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
