"""What every change to a question shares: locking it, moving its state, keeping the event.

Services build on these inside their own transaction; nothing here commits.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from ..kb.service import number_resolver
from ..markup import MarkupInputTooLarge, Rendered, render
from ..notify.service import notify
from ..numbers import vi_count
from ..search.models import log_change
from . import states
from .errors import QaError, QaForbidden, QaNotFound
from .models import Event, Post, Question
from .visibility import can_read, is_moderator

MAX_TITLE = 200
MAX_QUESTION_BODY = 20_000
MAX_POST_BODY = 50_000
MAX_REASON = 1_000


def question_url(question_id: int) -> str:
    """Path of a question's page."""
    return f"/qa/{question_id}"


def clean_line(value: str | None) -> str:
    """One line of text as stored: NFC, no control characters, single spaces."""
    value = "".join(
        ch for ch in (value or "") if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(unicodedata.normalize("NFC", value).split())


def clean_body(value: str | None) -> str:
    """A Markdown text as stored: NFC, LF line ends, no NUL or BOM, no trailing blanks."""
    value = unicodedata.normalize("NFC", (value or "").removeprefix("\ufeff").replace("\x00", ""))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_title(title: str) -> str:
    """The cleaned title, or QaError saying what is wrong with it."""
    title = clean_line(title)
    if not title:
        raise QaError("Tiêu đề: hãy nhập câu hỏi của bạn.")
    if len(title) > MAX_TITLE:
        raise QaError(
            f"Tiêu đề: tối đa {vi_count(MAX_TITLE)} ký tự (đang có {vi_count(len(title))} "
            "ký tự). Hãy viết ngắn gọn và đưa chi tiết vào phần nội dung."
        )
    return title


def check_body(body: str, *, what: str, limit: int, required: bool) -> str:
    """The cleaned Markdown body, or QaError naming the field and the limit."""
    body = clean_body(body)
    if required and not body:
        raise QaError(f"{what}: hãy nhập nội dung.")
    if len(body) > limit:
        raise QaError(
            f"{what}: tối đa {vi_count(limit)} ký tự (đang có {vi_count(len(body))} ký tự). "
            "Hãy rút gọn hoặc chia thành nhiều phần."
        )
    return body


def check_reason(reason: str | None, *, required: bool, what: str = "Lý do") -> str | None:
    """The cleaned reason (None when empty and optional)."""
    text = clean_body(reason)
    if not text:
        if required:
            raise QaError(f"{what}: hãy ghi rõ lý do.")
        return None
    if len(text) > MAX_REASON:
        raise QaError(f"{what}: tối đa {vi_count(MAX_REASON)} ký tự.")
    return text


def render_markdown(body: str, what: str) -> Rendered:
    """Markdown to safe HTML with [[number]] links to documents; QaError when too large."""
    try:
        return render(body, doc_link_resolver=number_resolver())
    except MarkupInputTooLarge as exc:
        raise QaError(f"{what}: {exc}") from exc


def account(user_id: int) -> User:
    """An active account by id (QaError when there is none)."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise QaError("Tài khoản không tồn tại hoặc đã bị khóa.")
    return user


def moderator(user_id: int) -> User:
    """An active moderator's account (QaForbidden for anyone else)."""
    user = account(user_id)
    if not is_moderator(user):
        raise QaForbidden("Chỉ người giải đáp được làm việc này.")
    return user


def lock(question_id: int, reader: User | None = None) -> Question:
    """Load a question for a change, locking its row until the transaction ends.

    Two moderators answering or claiming at once are serialised here (PostgreSQL: the row
    lock; SQLite: the write lock taken at BEGIN IMMEDIATE), so the second sees the first's
    change and gets a clear message. A reader who may not read the question gets QaNotFound.
    """
    question = db.session.execute(
        select(Question)
        .where(Question.id == question_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if question is None or (reader is not None and not can_read(question, reader)):
        raise QaNotFound()
    return question


def lock_post(post_id: int) -> tuple[Question, Post]:
    """A post and its question, the question locked."""
    question_id = db.session.scalar(select(Post.question_id).where(Post.id == post_id))
    if question_id is None:
        raise QaNotFound("Không tìm thấy câu trả lời.")
    question = lock(question_id)
    post = db.session.get(Post, post_id)
    if post is None:
        raise QaNotFound("Không tìm thấy câu trả lời.")
    return question, post


def move(
    question: Question,
    action: str,
    actor: User | None,
    *,
    reason: str | None = None,
    post: Post | None = None,
    detail: dict[str, Any] | None = None,
) -> Event:
    """Apply action to the question's state (as the transition table allows) and keep it."""
    before = question.state
    after = states.target(action, before, assigned=question.assignee_id is not None)
    return keep(question, action, actor, before=before, after=after, reason=reason, post=post,
                detail=detail)


def keep(
    question: Question,
    action: str,
    actor: User | None,
    *,
    before: str | None,
    after: str | None,
    reason: str | None = None,
    post: Post | None = None,
    detail: dict[str, Any] | None = None,
) -> Event:
    """Record an event and set the state it leads to; the question's search entry follows."""
    now = utcnow()
    if post is not None and post.id is None:
        db.session.flush()
    event = Event(
        question_id=question.id,
        post_id=post.id if post is not None else None,
        actor_id=actor.id if actor is not None else None,
        action=action,
        from_state=before,
        to_state=after,
        reason=reason,
        detail=detail,
        at=now,
    )
    if after is not None:
        question.state = after
    question.version += 1
    question.updated_at = now
    db.session.add(event)
    log_change("question", question.id)
    return event


def tell(user: User | None, kind: str, message: str, question: Question) -> None:
    """Notify an account about a question (in-app, and by e-mail when configured)."""
    if user is not None and user.active:
        notify(user, kind, message, question_url(question.id))


def short(title: str, limit: int = 80) -> str:
    """A title cut for a notification."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
