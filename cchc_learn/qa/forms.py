"""Forms of the Q&A pages: they carry CSRF and parse; the services check the values.

Every rule (lengths, known topics, states) is checked once, in the service, whose message
names the field; the forms only read what was sent.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from ..formkit import CheckboxList, choice_list
from .service import CHANNELS, OFFLINE_CHANNELS, VISIBILITIES
from .settings import topics


def _topic_choices() -> list:
    return choice_list((t, t) for t in topics())


class AskForm(FlaskForm):
    """A question: title, Markdown body, topics, who may read it and how the asker is named."""

    title = StringField("Câu hỏi của bạn (tiêu đề)")
    body = TextAreaField("Nội dung chi tiết (Markdown, không bắt buộc)")
    topics = CheckboxList("Chủ đề", validate_choice=False)
    visibility = RadioField("Ai được xem câu hỏi", choices=choice_list(VISIBILITIES.items()),
                            default="public", validate_choice=False)
    show_name = BooleanField("Hiện tên tôi bên câu hỏi công khai (nếu không: “Một cán bộ”)")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics.choices = _topic_choices()

    def topic_list(self) -> list[str]:
        """The topics ticked (unknown ones included: the service names them)."""
        return [t for t in (self.topics.data or []) if isinstance(t, str)]


class RecordForm(AskForm):
    """A question received by phone, on paper, by e-mail or in class, on an official's behalf."""

    asker = StringField("Tên đăng nhập của người hỏi")
    channel = SelectField(
        "Kênh tiếp nhận",
        choices=choice_list((c, CHANNELS[c]) for c in OFFLINE_CHANNELS),
        validate_choice=False,
    )
    received_at = StringField("Thời điểm nhận (giờ:phút ngày/tháng/năm; để trống: bây giờ)")


class EditQuestionForm(FlaskForm):
    """The asker's or a moderator's edit of a question."""

    title = StringField("Tiêu đề")
    body = TextAreaField("Nội dung (Markdown)")
    topics = CheckboxList("Chủ đề", validate_choice=False)
    reason = StringField("Lý do sửa (bắt buộc với người giải đáp)")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics.choices = _topic_choices()

    def topic_list(self) -> list[str]:
        """The topics ticked."""
        return [t for t in (self.topics.data or []) if isinstance(t, str)]


class BodyForm(FlaskForm):
    """A Markdown text: a reply, a follow-up, a request for information."""

    body = TextAreaField("Nội dung (Markdown)")


class AnswerForm(FlaskForm):
    """A moderator's answer, perhaps started from a template."""

    body = TextAreaField("Câu trả lời (Markdown; trích dẫn văn bản bằng [[4599/QĐ-UBND]])")
    template = HiddenField()


class EditAnswerForm(FlaskForm):
    """A moderator's correction of an answer."""

    body = TextAreaField("Câu trả lời (Markdown)")
    reason = StringField("Lý do sửa")


class ChoosePostForm(FlaskForm):
    """Accept one answer."""

    post_id = HiddenField()


class ReasonForm(FlaskForm):
    """An action with a reason (hide: required; close: optional)."""

    reason = StringField("Lý do")


class AssignForm(FlaskForm):
    """Give a question to a moderator."""

    assignee = SelectField("Phân công cho", validate_choice=False)


class DuplicateForm(FlaskForm):
    """Close as a duplicate of another question."""

    original = StringField("Số của câu hỏi gốc")
    reason = StringField("Ghi chú (không bắt buộc)")


class FaqForm(FlaskForm):
    """Promote to the FAQ, or confirm a review."""

    valid_as_of = StringField("Đúng đến ngày (ngày/tháng/năm; để trống: hôm nay)")
    documents = TextAreaField("Văn bản trích dẫn (số ký hiệu, cách nhau bằng dấu phẩy)")


class RuleForm(FlaskForm):
    """A routing rule: a topic and a moderator."""

    topic = SelectField("Chủ đề", validate_choice=False)
    moderator = SelectField("Người giải đáp", validate_choice=False)


class TemplateForm(FlaskForm):
    """An answer template written in the browser."""

    title = StringField("Tên mẫu")
    topics = CheckboxList("Chủ đề", validate_choice=False)
    body = TextAreaField("Nội dung mẫu (Markdown)")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topics.choices = _topic_choices()

    def topic_list(self) -> list[str]:
        """The topics ticked."""
        return [t for t in (self.topics.data or []) if isinstance(t, str)]
