"""Forms: a plan written in the browser, and a focal point's assignment."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..formkit import text_field
from ..numbers import vi_count

MAX_PLAN_CHARS = 100_000


class PlanForm(FlaskForm):
    """The plan's code and its whole text: front matter, then the description."""

    slug = text_field("Mã kế hoạch", 100, name="Mã kế hoạch")
    text = TextAreaField(
        "Nội dung kế hoạch (phần đầu YAML và mô tả Markdown)",
        validators=[
            DataRequired("Nhập nội dung kế hoạch."),
            Length(max=MAX_PLAN_CHARS, message=f"Tối đa {vi_count(MAX_PLAN_CHARS)} ký tự."),
        ],
    )
    message = text_field("Ghi chú thay đổi", 300, name="Ghi chú")


class FocalForm(FlaskForm):
    """Make an account the focal point of a unit."""

    username = text_field("Tên đăng nhập", 64, required="Nhập tên đăng nhập.")
    unit = text_field("Mã đơn vị", 32, required="Nhập mã đơn vị.")
