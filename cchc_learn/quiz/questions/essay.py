"""Essay: a free-text answer graded by a person (drawn only by quizzes that ask for essays)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from ...numbers import vi_count
from .base import Item, QuestionType
from .notation import gift_general
from .typed import stored_text

MAX_ESSAY_CHARS = 20_000


@dataclass(kw_only=True)
class Essay(Item):
    """A free-text answer graded by a person."""

    type: ClassVar[str] = "essay"
    auto_graded: ClassVar[bool] = False


class EssayType(QuestionType):
    """Write an answer; a trainer grades it (a blank essay earns 0 at once)."""

    name = "essay"
    item_class = Essay
    manual = True

    def gift_block(self, item: Essay) -> str:
        return "{" + gift_general(item.explanation, item.format) + "}"

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        # Browsers count a line break once in maxlength but post it as CR LF.
        value = (form.get(name) or "").replace("\r\n", "\n")
        if len(value) > MAX_ESSAY_CHARS:
            problems.append(
                f"Câu {number}: bài viết dài quá {vi_count(MAX_ESSAY_CHARS)} ký tự nên không "
                "được lưu."
            )
            return False, None
        value = unicodedata.normalize("NFC", value).strip()
        return True, value or None

    def grader_response(self, layout, stored) -> Any:
        return stored_text(stored)
