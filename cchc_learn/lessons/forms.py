"""Forms of the authoring pages (WTForms has no Vietnamese messages: each is given here)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    Length,
    Optional,
    ValidationError,
)

from ..formkit import CheckboxList, choice_list, slug_field, text_field, whole_number_field
from ..numbers import vi_count
from . import schema

BODY_MESSAGE = f"Nội dung: tối đa {vi_count(schema.MAX_BODY)} ký tự; hãy chia thành nhiều bài."


def _title_field(label: str) -> StringField:
    return text_field(label, schema.MAX_TITLE, required=f"Nhập {label.lower()}.")


class _ContentForm(FlaskForm):
    """Fields every module and lesson form has."""

    published = BooleanField("Công bố cho học viên")
    body = TextAreaField(
        "Nội dung (Markdown)", validators=[Length(max=schema.MAX_BODY, message=BODY_MESSAGE)]
    )
    message = text_field("Ghi chú cho lần lưu này", schema.MAX_MESSAGE, name="Ghi chú")

    def values(self) -> dict[str, Any]:
        """What was typed, by the names the authoring service takes."""
        return {
            "title": self.title.data,
            "published": self.published.data,
            "body": self.body.data or "",
            "slug": self.slug.data or "",
            "message": self.message.data or "",
        }


class ModuleForm(_ContentForm):
    """Create or edit a module written in the browser."""

    title = _title_field("Tên chuyên đề")
    slug = slug_field("Mã chuyên đề")
    summary = text_field(
        "Tóm tắt", schema.MAX_SUMMARY, required="Nhập tóm tắt chuyên đề.", area=True
    )
    topics = StringField(
        "Chủ đề (cách nhau bằng dấu phẩy)",
        validators=[Optional(), Length(max=2000, message="Chủ đề: quá dài.")],
    )
    order = whole_number_field(
        "Thứ tự hiển thị",
        schema.MIN_ORDER,
        schema.MAX_ORDER,
        required="Nhập thứ tự hiển thị (một số).",
        name="Thứ tự",
        default=10,
    )
    audience = CheckboxList(
        "Dành cho cấp",
        choices=choice_list(schema.AUDIENCE_LEVELS.items()),
        invalid_choice_message="Cấp đơn vị không hợp lệ.",
    )

    def values(self) -> dict[str, Any]:
        return super().values() | {
            "summary": self.summary.data,
            "topics": self.topic_list(),
            "order": self.order.data,
            "audience": self.audience.data or [],
        }

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
    slug = slug_field("Mã bài học")
    minutes = whole_number_field(
        "Thời lượng (phút)",
        schema.MIN_MINUTES,
        schema.MAX_MINUTES,
        required="Nhập thời lượng (số phút).",
        name="Thời lượng",
        unit="phút",
        default=10,
    )
    summary = text_field("Tóm tắt", schema.MAX_SUMMARY, area=True)

    def values(self) -> dict[str, Any]:
        return super().values() | {"minutes": self.minutes.data, "summary": self.summary.data or ""}


class PublishForm(FlaskForm):
    """Publish (1) or withdraw (0)."""

    published = HiddenField(validators=[AnyOf(["0", "1"], message="Giá trị không hợp lệ.")])


class MoveForm(FlaskForm):
    """Move a lesson up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"], message="Hướng không hợp lệ.")])
