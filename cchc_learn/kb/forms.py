"""Forms for writing documents in the browser."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import DATE_FORMATS, choice_list, text_field
from ..markup import MAX_INPUT_CHARS
from ..markup.source import vi_count
from .loader import DOC_TYPES
from .models import STATUSES


class DocumentForm(FlaskForm):
    """Metadata and Markdown text of a document."""

    number = text_field("Số ký hiệu", 80, required="Nhập số ký hiệu.")
    doc_type = SelectField(
        "Loại văn bản",
        choices=choice_list((t, t) for t in DOC_TYPES),
        invalid_choice_message="Loại văn bản không hợp lệ.",
    )
    issuer = text_field("Cơ quan ban hành", 200, required="Nhập cơ quan ban hành.")
    issued = DateField(
        "Ngày ban hành",
        format=DATE_FORMATS,
        validators=[DataRequired("Nhập ngày ban hành theo dạng ngày/tháng/năm.")],
    )
    status = SelectField(
        "Hiệu lực",
        choices=choice_list(STATUSES.items()),
        invalid_choice_message="Trạng thái hiệu lực không hợp lệ.",
    )
    replaced_by = text_field("Thay thế bởi (số ký hiệu)", 80, name="Số ký hiệu thay thế")
    topics = text_field("Chủ đề (cách nhau bằng dấu phẩy)", 500, name="Chủ đề")
    summary = text_field("Trích yếu", 2000, required="Nhập trích yếu.", area=True)
    body = TextAreaField(
        "Nội dung (Markdown)",
        validators=[
            Optional(),
            Length(
                max=MAX_INPUT_CHARS,
                message=f"Nội dung: tối đa {vi_count(MAX_INPUT_CHARS)} ký tự.",
            ),
        ],
    )
    message = text_field("Ghi chú thay đổi", 300, name="Ghi chú")


class AttachmentForm(FlaskForm):
    """A PDF or DOCX file to attach."""

    file = FileField("Tệp PDF hoặc DOCX", validators=[FileRequired("Chọn một tệp.")])
    title = text_field("Tên hiển thị", 300)
