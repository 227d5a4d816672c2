"""Forms of the bank pages: a new bank, one question, a bank file to upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


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
