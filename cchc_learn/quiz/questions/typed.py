"""What the types answered by typing (short answers, numbers) share on the attempt pages."""

from __future__ import annotations

import unicodedata
from typing import Any

from ...numbers import vi_count
from .base import Form
from .scoring import Score
from .text import fold_text


def read_typed(
    form: Form, name: str, number: int, limit: int, problems: list[str]
) -> tuple[bool, str | None]:
    """Read a typed answer: NFC, trimmed; one longer than limit is refused, not stored."""
    value = form.get(name) or ""
    if len(value) > limit:
        problems.append(
            f"Câu {number}: câu trả lời dài quá {vi_count(limit)} ký tự nên không được lưu."
        )
        return False, None
    return True, unicodedata.normalize("NFC", value).strip()


def stored_text(stored: Any) -> Any:
    """A stored typed response as the graders take it (text only)."""
    return stored if isinstance(stored, str) else None


def folded_answer(stored: Any) -> str | None:
    """A typed answer folded the way graders compare it, for the list of frequent answers."""
    if not isinstance(stored, str) or not stored.strip():
        return None
    return fold_text(stored)[:200]


def typed_review(rendered: dict[str, Any], saved: Any, score: Score) -> dict[str, Any]:
    """What was typed, the answers accepted in full, and the feedback the answer earned."""
    feedback = rendered.get("answer_feedback", [])
    return {
        "typed": saved if isinstance(saved, str) else None,
        "accepted": list(rendered.get("answers", [])),
        "feedback": [
            feedback[part.key]
            for part in score.parts
            if part.key is not None and part.key < len(feedback) and feedback[part.key]
        ],
    }
