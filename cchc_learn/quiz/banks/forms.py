"""Forms of the bank pages: a new bank, one question, a bank file to upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from ...formkit import slug_field, text_field
from ...textnorm import SLUG_MAX_LENGTH


class ItemForm(FlaskForm):
    """One question in the Markdown question format."""

    text = text_field(
        "Câu hỏi (định dạng Markdown)",
        100_000,
        required="Viết nội dung câu hỏi.",
        name="Câu hỏi",
        area=True,
    )


class BankForm(FlaskForm):
    """A new, empty bank."""

    slug = slug_field("Mã ngân hàng", required="Nhập mã ngân hàng.")
    title = text_field("Tên ngân hàng", 200, required="Nhập tên ngân hàng.")


class ImportForm(FlaskForm):
    """A bank file to upload, and the bank it goes into."""

    file = FileField(
        "Tệp .md (Markdown) hoặc .gift (Moodle GIFT)",
        validators=[FileRequired("Hãy chọn tệp cần nhập.")],
    )
    bank = text_field(
        "Mã ngân hàng nhận câu hỏi",
        SLUG_MAX_LENGTH,
        required="Nhập mã ngân hàng.",
        name="Mã ngân hàng",
    )
    title = text_field("Tên ngân hàng (khi tạo mới)", 200, name="Tên ngân hàng")
