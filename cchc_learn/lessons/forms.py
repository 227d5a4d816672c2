"""Forms of the authoring pages (WTForms has no Vietnamese messages: each is given here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..numbers import vi_count
from . import schema

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None

SLUG_MESSAGE = (
    "chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang, bắt đầu bằng chữ "
    "hoặc số, tối đa 80 ký tự."
)
BODY_MESSAGE = f"Nội dung: tối đa {vi_count(schema.MAX_BODY)} ký tự; hãy chia thành nhiều bài."


def _choices(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxList(SelectMultipleField):
    """Several checkboxes for one multi-valued field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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
    return StringField(
        label,
        validators=[
            DataRequired(f"Nhập {label.lower()}."),
            Length(max=schema.MAX_TITLE, message=f"{label}: tối đa {schema.MAX_TITLE} ký tự."),
        ],
    )


class _ContentForm(FlaskForm):
    """Fields every module and lesson form has."""

    published = BooleanField("Công bố cho học viên")
    body = TextAreaField(
        "Nội dung (Markdown)", validators=[Length(max=schema.MAX_BODY, message=BODY_MESSAGE)]
    )
    message = StringField(
        "Ghi chú cho lần lưu này",
        validators=[
            Optional(),
            Length(max=schema.MAX_MESSAGE, message=f"Ghi chú: tối đa {schema.MAX_MESSAGE} ký tự."),
        ],
    )


class ModuleForm(_ContentForm):
    """Create or edit a module written in the browser."""

    title = _title_field("Tên chuyên đề")
    slug = _slug_field("Mã chuyên đề")
    summary = TextAreaField(
        "Tóm tắt",
        validators=[
            DataRequired("Nhập tóm tắt chuyên đề."),
            Length(max=schema.MAX_SUMMARY, message=f"Tóm tắt: tối đa {schema.MAX_SUMMARY} ký tự."),
        ],
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
        choices=_choices(schema.AUDIENCE_LEVELS.items()),
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
    summary = TextAreaField(
        "Tóm tắt",
        validators=[
            Optional(),
            Length(max=schema.MAX_SUMMARY, message=f"Tóm tắt: tối đa {schema.MAX_SUMMARY} ký tự."),
        ],
    )


class PublishForm(FlaskForm):
    """Publish (1) or withdraw (0)."""

    published = HiddenField(validators=[AnyOf(["0", "1"], message="Giá trị không hợp lệ.")])


class MoveForm(FlaskForm):
    """Move a lesson up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"], message="Hướng không hợp lệ.")])


class ActionForm(FlaskForm):
    """A bare POST (restore a revision) protected by CSRF."""
