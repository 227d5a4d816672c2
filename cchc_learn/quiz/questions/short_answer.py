"""Short answer: a typed text compared without regard to case and extra spaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any, ClassVar

from .base import FULL, GiftQuestion, Item, MarkdownSection, QuestionType, check_weight, is_full
from .notation import (
    WEIGHT_SUFFIX,
    Entry,
    gift_answer_lines,
    gift_feedback,
    gift_text,
    split_lines,
)
from .numbers import format_number
from .scoring import MAX_TYPED, Part, Score
from .text import clean_text, fold_text
from .typed import folded_answer, read_typed, stored_text, typed_review


@dataclass(kw_only=True)
class TextAnswer:
    """One accepted short answer; `*` is a wildcard and `\\*` a literal star."""

    text: str
    weight: float = FULL
    feedback: str = ""


@dataclass(kw_only=True)
class ShortAnswer(Item):
    """A typed answer compared without regard to case and extra spaces."""

    type: ClassVar[str] = "short_answer"
    answers: list[TextAnswer] = field(default_factory=list)
    diacritics_insensitive: bool = False


@lru_cache(maxsize=4096)
def _pattern(answer: str, diacritics: bool) -> tuple[str, ...]:
    """Split an accepted answer at its `*` wildcards; `\\*` stays a literal star."""
    pieces = [""]
    text = fold_text(answer, diacritics=diacritics)
    index = 0
    while index < len(text):
        if text.startswith("\\*", index):
            pieces[-1] += "*"
            index += 2
            continue
        if text[index] == "*":
            pieces.append("")
        else:
            pieces[-1] += text[index]
        index += 1
    return tuple(pieces)


def wildcard_match(pieces: tuple[str, ...], text: str) -> bool:
    """Match text against pieces joined by `*`, anchored at both ends, without backtracking."""
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


class ShortAnswerType(QuestionType):
    """Type a text; the best accepted answer it matches gives the grade."""

    name = "short_answer"
    item_class = ShortAnswer
    diacritics = True
    json_parts = ("answers", TextAnswer, {"text": "text", "weight": "number", "feedback": "text"})
    json_fields = {"diacritics_insensitive": "bool"}

    def parts(self, item: ShortAnswer) -> list[Any]:
        return item.answers

    def texts(self, item: ShortAnswer) -> list[str]:
        return [a.feedback for a in item.answers] + [a.text for a in item.answers]

    def check(self, item: ShortAnswer, problems: list[str]) -> None:
        if not item.answers:
            problems.append("câu hỏi không có đáp án")
            return
        weights_ok = True
        for number, answer in enumerate(item.answers, start=1):
            if not answer.text:
                problems.append(f"đáp án thứ {number} để trống")
            weights_ok &= check_weight(answer.weight, 0.0, f"đáp án thứ {number}", problems)
        if weights_ok and not any(is_full(a.weight) for a in item.answers):
            problems.append("câu hỏi không có đáp án đúng (cần một đáp án 100%)")

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        if not section.only(self.name, "answer", "các dòng đáp án '= …'"):
            return None
        answers = [
            TextAnswer(
                text=clean_text("\n".join(e.text)),
                weight=100.0 if e.weight is None else e.weight,
                feedback=clean_text("\n".join(e.feedback)),
            )
            for e in section.entries
        ]
        return ShortAnswer(
            **common, answers=answers, diacritics_insensitive=meta.get("diacritics", False)
        )

    def markdown_entries(self, item: ShortAnswer) -> list[Entry]:
        return [
            Entry(
                "answer",
                0,
                a.text.split("\n"),
                weight=None
                if a.weight == 100 and not WEIGHT_SUFFIX.search(a.text.split("\n")[0])
                else a.weight,
                feedback=split_lines(a.feedback),
            )
            for a in item.answers
        ]

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        answers = [
            TextAnswer(
                text=p.text, weight=100.0 if p.weight is None else p.weight, feedback=p.feedback
            )
            for p in question.parts(start, end, "=")
        ]
        return ShortAnswer(**common, answers=answers)

    def gift_block(self, item: ShortAnswer) -> str:
        fmt = item.format
        lines = [
            f"=%{format_number(a.weight)}% {gift_text(a.text, fmt)}"
            + gift_feedback(a.feedback, fmt)
            for a in item.answers
        ]
        return gift_answer_lines(lines, item.explanation, fmt)

    def render(self, item: ShortAnswer, block, inline) -> dict[str, Any]:
        return {
            "answers": [escape(answer.text) for answer in item.answers if answer.weight >= 100],
            "answer_feedback": [inline(answer.feedback) for answer in item.answers],
        }

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        store, value = read_typed(form, name, number, MAX_TYPED, problems)
        return store, value or None

    def grader_response(self, layout, stored) -> Any:
        return stored_text(stored)

    def grade(self, item: ShortAnswer, response: Any) -> Score:
        """Give the best weight among the accepted answers the typed text matches."""
        if response is None:
            return Score.of(0)
        if not isinstance(response, str) or len(response) > MAX_TYPED:
            return Score.of(0, ignored=[response])
        fold = item.diacritics_insensitive
        typed = fold_text(response, diacritics=fold)
        if not typed:
            return Score.of(0)
        best: tuple[int, Any] | None = None
        for index, answer in enumerate(item.answers):
            if wildcard_match(_pattern(answer.text, fold), typed) and (
                best is None or answer.weight > best[1].weight
            ):
                best = (index, answer)
        if best is None:
            return Score.of(0)
        index, answer = best
        return Score.of(
            answer.weight / 100,
            [Part(index, is_full(answer.weight), answer.weight / 100, answer.feedback)],
        )

    def typed_answer(self, stored: Any) -> str | None:
        return folded_answer(stored)

    def review(self, item, rendered, layout, saved, response, score) -> dict[str, Any]:
        return typed_review(rendered, saved, score)
