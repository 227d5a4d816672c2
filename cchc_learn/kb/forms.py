"""Forms for writing documents in the browser."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import choice_list
from ..markup import MAX_INPUT_CHARS
from ..markup.source import vi_count
from .loader import DOC_TYPES
from .models import STATUSES

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DocumentForm(FlaskForm):
    """Metadata and Markdown text of a document."""

    number = StringField(
        "Số ký hiệu",
        validators=[
            DataRequired("Nhập số ký hiệu."),
            Length(max=80, message="Số ký hiệu: tối đa 80 ký tự."),
        ],
    )
    doc_type = SelectField(
        "Loại văn bản",
        choices=choice_list((t, t) for t in DOC_TYPES),
        invalid_choice_message="Loại văn bản không hợp lệ.",
    )
    issuer = StringField(
        "Cơ quan ban hành",
        validators=[
            DataRequired("Nhập cơ quan ban hành."),
            Length(max=200, message="Cơ quan ban hành: tối đa 200 ký tự."),
        ],
    )
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
    replaced_by = StringField(
        "Thay thế bởi (số ký hiệu)",
        validators=[Optional(), Length(max=80, message="Số ký hiệu thay thế: tối đa 80 ký tự.")],
    )
    topics = StringField(
        "Chủ đề (cách nhau bằng dấu phẩy)",
        validators=[Optional(), Length(max=500, message="Chủ đề: tối đa 500 ký tự.")],
    )
    summary = TextAreaField(
        "Trích yếu",
        validators=[
            DataRequired("Nhập trích yếu."),
            Length(max=2000, message="Trích yếu: tối đa 2.000 ký tự."),
        ],
    )
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
    message = StringField(
        "Ghi chú thay đổi",
        validators=[Optional(), Length(max=300, message="Ghi chú: tối đa 300 ký tự.")],
    )


class AttachmentForm(FlaskForm):
    """A PDF or DOCX file to attach."""

    file = FileField("Tệp PDF hoặc DOCX", validators=[FileRequired("Chọn một tệp.")])
    title = StringField(
        "Tên hiển thị",
        validators=[Optional(), Length(max=300, message="Tên hiển thị: tối đa 300 ký tự.")],
    )


class ActionForm(FlaskForm):
    """A bare POST protected by CSRF."""
