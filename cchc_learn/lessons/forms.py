"""Forms of the authoring pages (WTForms has no Vietnamese messages: each is given here)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..formkit import CheckboxList, choice_list, text_field
from ..numbers import vi_count
from . import schema

SLUG_MESSAGE = (
    "chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang, bắt đầu bằng chữ "
    "hoặc số, tối đa 80 ký tự."
)
BODY_MESSAGE = f"Nội dung: tối đa {vi_count(schema.MAX_BODY)} ký tự; hãy chia thành nhiều bài."


def _slug_field(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=80, message=f"{label}: tối đa 80 ký tự."),
            Regexp(schema.SLUG_RE, message=f"{label}: {SLUG_MESSAGE}"),
        ],
    )


def _title_field(label: str) -> StringField:
    return text_field(label, schema.MAX_TITLE, required=f"Nhập {label.lower()}.")


class _ContentForm(FlaskForm):
    """Fields every module and lesson form has."""

    published = BooleanField("Công bố cho học viên")
    body = TextAreaField(
        "Nội dung (Markdown)", validators=[Length(max=schema.MAX_BODY, message=BODY_MESSAGE)]
    )
    message = text_field("Ghi chú cho lần lưu này", schema.MAX_MESSAGE, name="Ghi chú")


class ModuleForm(_ContentForm):
    """Create or edit a module written in the browser."""

    title = _title_field("Tên chuyên đề")
    slug = _slug_field("Mã chuyên đề")
    summary = text_field(
        "Tóm tắt", schema.MAX_SUMMARY, required="Nhập tóm tắt chuyên đề.", area=True
    )
    topics = StringField(
        "Chủ đề (cách nhau bằng dấu phẩy)",
        validators=[Optional(), Length(max=2000, message="Chủ đề: quá dài.")],
    )
    order = IntegerField(
        "Thứ tự hiển thị",
        default=10,
        validators=[
            InputRequired("Nhập thứ tự hiển thị (một số)."),
            NumberRange(
                schema.MIN_ORDER,
                schema.MAX_ORDER,
                message=f"Thứ tự: từ {schema.MIN_ORDER} đến {schema.MAX_ORDER}.",
            ),
        ],
        invalid_value_message="Thứ tự phải là một số nguyên.",
    )
    audience = CheckboxList(
        "Dành cho cấp",
        choices=choice_list(schema.AUDIENCE_LEVELS.items()),
        invalid_choice_message="Cấp đơn vị không hợp lệ.",
    )

    def topic_list(self) -> list[str]:
        """The topics typed, split at commas."""
        raw = self.topics.data or ""
        if not isinstance(raw, str):  # a POST without the field keeps the module's own list
            raw = ", ".join(raw)
        return [t.strip() for t in raw.split(",") if t.strip()]

    def validate_topics(self, field) -> None:
        problem = schema.topics_problem(self.topic_list())
        if problem:
            raise ValidationError(
                f"Chủ đề: tối đa {schema.MAX_TOPICS} chủ đề, mỗi chủ đề tối "
                f"đa {schema.MAX_TOPIC} ký tự."
            )


class LessonForm(_ContentForm):
    """Create or edit a lesson written in the browser."""

    title = _title_field("Tên bài học")
    slug = _slug_field("Mã bài học")
    minutes = IntegerField(
        "Thời lượng (phút)",
        default=10,
        validators=[
            InputRequired("Nhập thời lượng (số phút)."),
            NumberRange(
                schema.MIN_MINUTES,
                schema.MAX_MINUTES,
                message=f"Thời lượng: từ {schema.MIN_MINUTES} đến {schema.MAX_MINUTES} phút.",
            ),
        ],
        invalid_value_message="Thời lượng phải là một số nguyên (số phút).",
    )
    summary = text_field("Tóm tắt", schema.MAX_SUMMARY, area=True)


class PublishForm(FlaskForm):
    """Publish (1) or withdraw (0)."""

    published = HiddenField(validators=[AnyOf(["0", "1"], message="Giá trị không hợp lệ.")])


class MoveForm(FlaskForm):
    """Move a lesson up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"], message="Hướng không hợp lệ.")])
