"""Description: text shown between questions; nothing to answer, never drawn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Item, QuestionType


@dataclass(kw_only=True)
class Description(Item):
    """Text shown between questions; nothing to answer."""

    type: ClassVar[str] = "description"
    auto_graded: ClassVar[bool] = False


class DescriptionType(QuestionType):
    """A text without answers: only its stem is shown."""

    name = "description"
    item_class = Description

    def check(self, item: Description, problems: list[str]) -> None:
        if item.explanation:
            problems.append("phần mô tả (description) không có giải thích")
