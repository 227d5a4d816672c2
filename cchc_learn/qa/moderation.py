"""Ending a question without (another) answer: closing, closing as a duplicate, hiding abuse."""

from __future__ import annotations

from ..clock import utcnow
from ..database import transactional
from ..extensions import db
from . import deadlines
from .errors import QaError
from .models import Question
from .visibility import open_to_everyone
from .workflow import check_reason, lock, moderator, move, question_url, short, tell


@transactional
def close(question_id: int, moderator_id: int, reason: str | None = None) -> Question:
    """Close an answered question the asker neither accepted nor followed up."""
    user = moderator(moderator_id)
    why = check_reason(reason, required=False)
    question = lock(question_id)
    move(question, "close", user, reason=why)
    question.closed_at = utcnow()
    return question


@transactional
def mark_duplicate(
    question_id: int, moderator_id: int, original_id: int, reason: str | None = None
) -> Question:
    """Close a question as a duplicate of another the asker can read; the asker is told."""
    user = moderator(moderator_id)
    why = check_reason(reason, required=False)
    if original_id == question_id:
        raise QaError("Câu hỏi gốc: không thể là chính câu hỏi này.")
    original = db.session.get(Question, original_id)
    if original is None:
        raise QaError(f"Câu hỏi gốc: không có câu hỏi số {original_id}.")
    if original.state == "duplicate" and original.duplicate_of_id:
        raise QaError(
            f"Câu hỏi gốc: câu hỏi số {original_id} cũng là câu hỏi trùng; hãy chọn câu hỏi "
            f"số {original.duplicate_of_id}."
        )
    question = lock(question_id)
    if not open_to_everyone(original) and original.asker_id != question.asker_id:
        raise QaError(
            f"Câu hỏi gốc: người hỏi không xem được câu hỏi số {original_id} (riêng tư hoặc "
            "đã ẩn); hãy chọn một câu hỏi công khai."
        )
    move(question, "duplicate", user, reason=why, detail={"original": original.id})
    question.duplicate_of_id = original.id
    question.closed_at = utcnow()
    deadlines.stop(question)
    tell(question.asker, "qa.duplicate",
         f"Câu hỏi “{short(question.title)}” trùng với một câu hỏi đã có; xem tại "
         f"{question_url(original.id)}", question)
    return question


@transactional
def hide(question_id: int, moderator_id: int, reason: str) -> Question:
    """Hide an abusive question from everyone but its asker and the moderators."""
    user = moderator(moderator_id)
    why = check_reason(reason, required=True, what="Lý do ẩn")
    question = lock(question_id)
    move(question, "hide", user, reason=why)
    question.hidden_reason = why
    deadlines.stop(question)
    return question
