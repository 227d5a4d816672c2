"""The Q&A workflow: asking, answering, and every other change to a question.

Each function is one unit of work taking plain values (account ids, texts) and raising QaError
(QaNotFound, QaForbidden) with a Vietnamese message when it cannot act; then nothing is
written. Closing, duplicates and hiding live in moderation.py, the FAQ in faq.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..clock import LOCAL_TZ, utcnow
from ..database import transactional
from ..extensions import db
from ..org.service import current_membership
from . import deadlines, routing
from .errors import QaError, QaForbidden
from .models import Event, Post, Question, QuestionTopic
from .settings import setting
from .settings import topics as known_topics
from .visibility import is_asker, is_moderator
from .workflow import (
    MAX_POST_BODY,
    MAX_QUESTION_BODY,
    account,
    check_body,
    check_reason,
    check_title,
    keep,
    lock,
    lock_post,
    moderator,
    move,
    render_markdown,
    short,
    tell,
)

VISIBILITIES = {"public": "Công khai", "private": "Riêng tư (chỉ người giải đáp xem)"}
CHANNELS = {
    "web": "Trên hệ thống",
    "phone": "Điện thoại",
    "paper": "Văn bản giấy",
    "email": "Thư điện tử",
    "class": "Tại lớp bồi dưỡng",
}
OFFLINE_CHANNELS = ("phone", "paper", "email", "class")
MAX_TOPICS = 5
MAX_BACKDATE = timedelta(days=60)


def check_topics(topics: list[str]) -> list[str]:
    """The chosen topics, each one known (QaError naming the first unknown one)."""
    chosen = list(dict.fromkeys(t.strip() for t in topics if t and t.strip()))
    if not chosen:
        raise QaError("Chủ đề: hãy chọn ít nhất một chủ đề.")
    known = known_topics()
    for topic in chosen:
        if topic not in known:
            raise QaError(
                f"Chủ đề: “{topic[:60]}” không có trong danh sách chủ đề hỏi đáp "
                f"({', '.join(known)})."
            )
    if len(chosen) > MAX_TOPICS:
        raise QaError(f"Chủ đề: chọn tối đa {MAX_TOPICS} chủ đề.")
    return chosen


def _check_choice(value: str, choices: dict[str, str], what: str) -> str:
    if value not in choices:
        raise QaError(f"{what}: giá trị “{value[:40]}” không hợp lệ.")
    return value


@transactional
def ask(
    asker_id: int,
    title: str,
    body: str,
    topics: list[str],
    *,
    visibility: str = "public",
    show_name: bool = False,
    asked_at: datetime | None = None,
    channel: str = "web",
    recorded_by_id: int | None = None,
) -> Question:
    """Ask a question; its clock starts and routing rules assign it to a moderator.

    asked_at (default now) lets an offline question or demo data keep the time it was asked.
    """
    title = check_title(title)
    body = check_body(body, what="Nội dung câu hỏi", limit=MAX_QUESTION_BODY, required=False)
    chosen = check_topics(topics)
    visibility = _check_choice(visibility, VISIBILITIES, "Phạm vi hiển thị")
    channel = _check_choice(channel, CHANNELS, "Kênh tiếp nhận")
    rendered = render_markdown(body, "Nội dung câu hỏi")
    now = utcnow()
    asked = asked_at or now
    if asked > now + timedelta(minutes=5) or asked < now - MAX_BACKDATE:
        raise QaError("Thời điểm nhận câu hỏi: không được ở tương lai hay quá 60 ngày trước.")
    asker = account(asker_id)
    recorder = moderator(recorded_by_id) if recorded_by_id is not None else None
    membership = current_membership(asker, asked.astimezone(LOCAL_TZ).date())
    question = Question(
        title=title,
        body_md=body,
        body_html=rendered.html,
        asker_id=asker.id,
        unit_id=membership.unit_id if membership else None,
        visibility=visibility,
        show_name=bool(show_name),
        channel=channel,
        recorded_by_id=recorder.id if recorder else None,
        state="new",
        asked_at=asked,
        updated_at=now,
        topic_links=[QuestionTopic(topic=t) for t in chosen],
    )
    deadlines.start(question, asked)
    db.session.add(question)
    db.session.flush()
    action = "record_offline" if recorder else "ask"
    detail = {"channel": channel, "due_at": question.due_at.isoformat()}
    keep(question, action, recorder or asker, before=None, after="new", detail=detail)
    _route(question, chosen)
    return question


def _route(question: Question, topics: list[str]) -> None:
    """Assign a new question by the routing rules and tell the moderators of its topics."""
    candidates = routing.routed_to(topics)
    chosen = routing.pick(candidates)
    if chosen is not None:
        question.assignee_id = chosen.id
        keep(question, "assign", None, before="new", after="assigned",
             reason="Phân công tự động theo chủ đề", detail={"to": chosen.id})
    for user in candidates:
        if user.id == question.asker_id:
            continue
        mine = "được giao cho bạn" if chosen is not None and user.id == chosen.id else "mới"
        tell(user, "qa.new", f"Câu hỏi {mine} ({', '.join(topics)}): {short(question.title)}",
             question)


@transactional
def record_offline(
    recorder_id: int,
    asker_username: str,
    title: str,
    body: str,
    topics: list[str],
    channel: str,
    *,
    visibility: str = "private",
    show_name: bool = False,
    received_at: datetime | None = None,
) -> Question:
    """Record a question an official asked by phone, on paper, by e-mail or in class."""
    moderator(recorder_id)
    if channel not in OFFLINE_CHANNELS:
        raise QaError("Kênh tiếp nhận: chọn điện thoại, văn bản giấy, thư điện tử hoặc lớp học.")
    name = (asker_username or "").strip()[:64]
    asker = db.session.scalar(select(User).where(User.username == name)) if name else None
    if asker is None or not asker.active:
        raise QaError(f"Người hỏi: không tìm thấy tài khoản đang hoạt động “{name}”.")
    return ask(asker.id, title, body, topics, visibility=visibility, show_name=show_name,
               asked_at=received_at, channel=channel, recorded_by_id=recorder_id)


@transactional
def edit_question(
    question_id: int,
    editor_id: int,
    title: str,
    body: str,
    topics: list[str],
    *,
    reason: str | None = None,
) -> Question:
    """The asker edits while no answer exists; a moderator edits any time, giving a reason."""
    editor = account(editor_id)
    title = check_title(title)
    body = check_body(body, what="Nội dung câu hỏi", limit=MAX_QUESTION_BODY, required=False)
    chosen = check_topics(topics)
    rendered = render_markdown(body, "Nội dung câu hỏi")
    question = lock(question_id, reader=editor)
    by_asker = is_asker(question, editor) and not question.answers and question.state in (
        "new", "assigned", "needs_info")
    if by_asker:
        action, why = "edit_by_asker", check_reason(reason, required=False)
    elif is_moderator(editor):
        action, why = "edit_question", check_reason(reason, required=True, what="Lý do sửa")
    elif is_asker(question, editor):
        raise QaError("Câu hỏi đã có câu trả lời nên không sửa được nữa; hãy gửi câu hỏi thêm.")
    else:
        raise QaForbidden("Chỉ người hỏi hoặc người giải đáp được sửa câu hỏi này.")
    before = {"title": question.title, "body": question.body_md, "topics": question.topics}
    move(question, action, editor, reason=why, detail={"before": before})
    question.title, question.body_md, question.body_html = title, body, rendered.html
    question.topic_links = [QuestionTopic(topic=t) for t in chosen]
    return question


@transactional
def reply(question_id: int, user_id: int, body: str) -> Post:
    """The asker adds information asked for, or asks a follow-up (the clock runs again)."""
    user = account(user_id)
    body = check_body(body, what="Nội dung trả lời", limit=MAX_QUESTION_BODY, required=True)
    rendered = render_markdown(body, "Nội dung trả lời")
    question = lock(question_id, reader=user)
    if not is_asker(question, user):
        raise QaForbidden("Chỉ người đặt câu hỏi được hỏi thêm hoặc bổ sung thông tin.")
    was = question.state
    action = "info_reply" if was == "needs_info" else "followup"
    post = Post(question=question, author_id=user.id, kind=action, body_md=body,
                body_html=rendered.html)
    db.session.add(post)
    move(question, action, user, post=post)
    if was in ("needs_info", "answered"):
        deadlines.start(question, utcnow())
        question.accepted_at = None
    waiting = [question.assignee] if question.assignee else routing.routed_to(question.topics)
    what = "bổ sung thông tin" if action == "info_reply" else "hỏi thêm"
    for moderator_user in waiting:
        tell(moderator_user, f"qa.{action}", f"Người hỏi đã {what}: {short(question.title)}",
             question)
    return post


@transactional
def accept(question_id: int, user_id: int, post_id: int) -> Question:
    """The asker accepts one of the answers."""
    user = account(user_id)
    question = lock(question_id, reader=user)
    if not is_asker(question, user):
        raise QaForbidden("Chỉ người đặt câu hỏi được chấp nhận câu trả lời.")
    return _accept(question, user, post_id, "accept")


def _accept(question: Question, user: User, post_id: int | None, action: str) -> Question:
    answers = question.answers
    post = next((p for p in answers if p.id == post_id), None) if post_id else (
        answers[-1] if answers else None)
    if post is None:
        raise QaError("Câu trả lời được chọn không thuộc câu hỏi này.")
    move(question, action, user, post=post)
    post.accepted = True
    question.accepted_at = utcnow()
    return question


@transactional
def claim(question_id: int, moderator_id: int) -> Question:
    """A moderator takes a question; one already taken by another stays theirs."""
    user = moderator(moderator_id)
    question = lock(question_id)
    if question.assignee_id == user.id and question.state == "assigned":
        return question
    if question.assignee_id is not None and question.assignee_id != user.id:
        raise QaError(
            f"Câu hỏi đã được {question.assignee.full_name} nhận giải đáp; nếu cần, hãy "
            "phân công lại."
        )
    move(question, "claim", user, detail={"to": user.id})
    question.assignee_id = user.id
    return question


@transactional
def assign(question_id: int, moderator_id: int, assignee_id: int) -> Question:
    """A moderator gives a question to another moderator (or to themselves)."""
    user = moderator(moderator_id)
    try:
        assignee = moderator(assignee_id)
    except QaError as exc:
        raise QaError("Người được phân công phải là người giải đáp đang hoạt động.") from exc
    question = lock(question_id)
    if question.assignee_id == assignee.id:
        return question
    move(question, "assign", user, detail={"from": question.assignee_id, "to": assignee.id})
    question.assignee_id = assignee.id
    if assignee.id != user.id:
        tell(assignee, "qa.assigned", f"Bạn được phân công giải đáp: {short(question.title)}",
             question)
    return question


@transactional
def answer(
    question_id: int, moderator_id: int, body: str, *, template_slug: str | None = None
) -> Post:
    """A moderator answers; the asker is told. A second answer racing the first is refused."""
    user = moderator(moderator_id)
    body = check_body(body, what="Câu trả lời", limit=MAX_POST_BODY, required=True)
    rendered = render_markdown(body, "Câu trả lời")
    question = lock(question_id)
    if question.state == "answered" and question.last_answered_at is not None:
        raise QaError("Câu hỏi vừa được trả lời; hãy tải lại trang để xem câu trả lời đó.")
    now = utcnow()
    post = Post(question=question, author_id=user.id, kind="answer", body_md=body,
                body_html=rendered.html, template_slug=(template_slug or "")[:80] or None,
                created_at=now)
    db.session.add(post)
    due = question.due_at.isoformat() if question.due_at else None
    if question.first_answered_at is None:
        _measure_first_answer(question, now)
    move(question, "answer", user, post=post, detail={"due_at": due})
    question.assignee_id = question.assignee_id or user.id
    question.first_answered_at = question.first_answered_at or now
    question.last_answered_at = now
    tell(question.asker, "qa.answer", f"Câu hỏi của bạn đã có câu trả lời: "
         f"{short(question.title)}", question)
    return post


def _measure_first_answer(question: Question, at: datetime) -> None:
    """Keep how the first answer stood against the clock (the report sums these)."""
    events = db.session.execute(
        select(Event.action, Event.at, Event.detail)
        .where(Event.question_id == question.id,
               Event.action.in_(("request_info", "info_reply")))
        .order_by(Event.id)
    ).all()
    measured = deadlines.first_answer(question, [tuple(row) for row in events], at)
    question.first_answer_on_time = measured.on_time
    question.first_answer_workdays = measured.workdays


@transactional
def edit_answer(post_id: int, moderator_id: int, body: str, reason: str) -> Post:
    """A moderator corrects an answer; the reason and the earlier text stay in the history."""
    user = moderator(moderator_id)
    body = check_body(body, what="Câu trả lời", limit=MAX_POST_BODY, required=True)
    why = check_reason(reason, required=True, what="Lý do sửa")
    rendered = render_markdown(body, "Câu trả lời")
    question, post = lock_post(post_id)
    if post.kind != "answer":
        raise QaError("Chỉ sửa được câu trả lời của người giải đáp.")
    move(question, "edit_answer", user, reason=why, post=post, detail={"before": post.body_md})
    post.body_md, post.body_html, post.edited_at = body, rendered.html, utcnow()
    return post


@transactional
def request_info(question_id: int, moderator_id: int, body: str) -> Post:
    """A moderator asks the asker for more; the clock stops until the asker replies."""
    user = moderator(moderator_id)
    body = check_body(body, what="Nội dung đề nghị", limit=MAX_POST_BODY, required=True)
    rendered = render_markdown(body, "Nội dung đề nghị")
    question = lock(question_id)
    post = Post(question=question, author_id=user.id, kind="info_request", body_md=body,
                body_html=rendered.html)
    db.session.add(post)
    # The due time stopped is kept: an answer given before the reply is measured against it.
    due = question.due_at.isoformat() if question.due_at else None
    move(question, "request_info", user, post=post, detail={"due_at": due})
    question.assignee_id = question.assignee_id or user.id
    deadlines.stop(question)
    tell(question.asker, "qa.needs_info",
         f"Người giải đáp đề nghị bổ sung thông tin cho câu hỏi: {short(question.title)}",
         question)
    return post


@transactional
def accept_on_behalf(question_id: int, moderator_id: int, post_id: int | None = None) -> Question:
    """A moderator accepts the answer for an asker silent for the allowed days (not before)."""
    user = moderator(moderator_id)
    question = lock(question_id)
    days = int(setting("QA_ACCEPT_ON_BEHALF_DAYS"))
    answered = question.last_answered_at
    if question.state == "answered" and answered is not None:
        allowed_from = answered + timedelta(days=days)
        if utcnow() < allowed_from:
            raise QaError(
                f"Chỉ được chấp nhận thay người hỏi khi đã qua {days} ngày kể từ câu trả lời "
                f"gần nhất mà người hỏi chưa chấp nhận (từ "
                f"{allowed_from.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y})."
            )
    return _accept(question, user, post_id, "accept_on_behalf")



# The whole workflow in one place for callers (CLI, demo data, reports): the FAQ and the
# closing actions live in their own modules.
from .faq import promote_to_faq, remove_from_faq, review_faq  # noqa: E402
from .moderation import close, hide, mark_duplicate  # noqa: E402

__all__ = [
    "accept",
    "accept_on_behalf",
    "answer",
    "ask",
    "assign",
    "claim",
    "close",
    "edit_answer",
    "edit_question",
    "hide",
    "mark_duplicate",
    "promote_to_faq",
    "record_offline",
    "remove_from_faq",
    "reply",
    "request_info",
    "review_faq",
]
