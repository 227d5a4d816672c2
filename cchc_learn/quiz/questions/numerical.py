"""Numerical: a typed number that must fall in one of the accepted intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import FULL, GiftQuestion, Item, MarkdownSection, QuestionType, check_weight, is_full
from .notation import Entry, gift_answer_lines, gift_feedback, numeric_spec, split_lines
from .numbers import format_number, parse_decimal, spell_interval
from .scoring import Part, Response, Score
from .text import clean_text
from .typed import folded_answer, read_typed, stored_text, typed_review

MAX_NUMBER_CHARS = 100


@dataclass(kw_only=True)
class NumericAnswer:
    """One accepted numeric interval; min and max both None accept any number."""

    min: float | None
    max: float | None
    weight: float = FULL
    feedback: str = ""

    @property
    def is_catch_all(self) -> bool:
        """Tell whether this answer matches every number (Moodle's `*`)."""
        return self.min is None and self.max is None


@dataclass(kw_only=True)
class Numerical(Item):
    """A typed number that must fall in one of the accepted intervals."""

    type: ClassVar[str] = "numerical"
    answers: list[NumericAnswer] = field(default_factory=list)


def read_number(response: Response) -> float | None:
    """Read a typed number, with a decimal comma or point; None if it is not a finite number."""
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return float(response) if math.isfinite(response) else None
    if not isinstance(response, str) or len(response) > 100:
        return None
    value = parse_decimal(response)
    return None if value is None else float(value)


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "bất kỳ số nào"
    spelled = spell_interval(low, high, " ± ")
    if ".." in spelled:
        spelled = spelled.replace("..", " đến ")
    # Vietnamese writes a decimal comma.
    return spelled.replace(".", ",")


class NumericalType(QuestionType):
    """Type a number; the best accepted interval it falls in gives the grade."""

    name = "numerical"
    item_class = Numerical
    json_parts = (
        "answers",
        NumericAnswer,
        {"min": "bound", "max": "bound", "weight": "number", "feedback": "text"},
    )

    def parts(self, item: Numerical) -> list[Any]:
        return item.answers

    def texts(self, item: Numerical) -> list[str]:
        return [a.feedback for a in item.answers]

    def check(self, item: Numerical, problems: list[str]) -> None:
        if not item.answers:
            problems.append("câu hỏi không có đáp án")
            return
        weights_ok = True
        for number, answer in enumerate(item.answers, start=1):
            weights_ok &= check_weight(answer.weight, 0.0, f"đáp án thứ {number}", problems)
            if answer.is_catch_all:
                continue
            low, high = answer.min, answer.max
            if not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in (low, high)
            ):
                problems.append(f"đáp án số thứ {number} không phải là số hữu hạn")
            elif low > high:
                problems.append(
                    f"đáp án số thứ {number}: cận dưới {low:g} lớn hơn cận trên {high:g}"
                )
        if weights_ok and not any(is_full(a.weight) and not a.is_catch_all for a in item.answers):
            problems.append("câu hỏi không có đáp án đúng (cần một đáp án số 100%)")

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        if not section.only(self.name, "answer", "các dòng đáp án số '= …'"):
            return None
        answers = []
        for entry in section.entries:
            if not section.no_extras(entry, feedback=True):
                return None
            spec = numeric_spec(entry.text[0])
            if spec is None:
                section.error(
                    entry.line - 1,
                    f"đáp án số không hợp lệ: {entry.text[0]!r} "
                    "(viết 360, 3,14 ± 0,01, 1..5 hoặc *)",
                )
                return None
            answers.append(
                NumericAnswer(
                    min=spec[0],
                    max=spec[1],
                    weight=100.0 if entry.weight is None else entry.weight,
                    feedback=clean_text("\n".join(entry.feedback)),
                )
            )
        return Numerical(**common, answers=answers)

    def markdown_entries(self, item: Numerical) -> list[Entry]:
        return [
            Entry(
                "answer",
                0,
                [spell_interval(a.min, a.max, " ± ")],
                weight=None if a.weight == 100 else a.weight,
                feedback=split_lines(a.feedback),
            )
            for a in item.answers
        ]

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        answers = []
        for part in question.parts(start, end, "=~"):
            if part.marker == "~":
                if part.text not in {"", "*"}:
                    question.error(
                        part.begin, "đáp án ~ của câu hỏi số chỉ ghi phản hồi: ~#phản hồi"
                    )
                    continue
                weight = 0.0 if part.weight is None else part.weight
                answers.append(
                    NumericAnswer(min=None, max=None, weight=weight, feedback=part.feedback)
                )
                continue
            spec = numeric_spec(part.text)
            if spec is None:
                question.error(
                    part.begin,
                    f"đáp án số không hợp lệ: {part.text!r} (ví dụ 1822, 3.14:0.01 hoặc 1..5)",
                )
                continue
            weight = 100.0 if part.weight is None else part.weight
            answers.append(
                NumericAnswer(min=spec[0], max=spec[1], weight=weight, feedback=part.feedback)
            )
        return Numerical(**common, answers=answers)

    def gift_block(self, item: Numerical) -> str:
        lines = []
        for index, answer in enumerate(item.answers):
            feedback = gift_feedback(answer.feedback, item.format)
            last = index == len(item.answers) - 1
            if answer.is_catch_all and answer.weight == 0 and last:
                # Moodle's own spelling of "any other answer"; it must come last.
                lines.append("~" + (feedback.lstrip() or "#"))
            else:
                spelled = spell_interval(answer.min, answer.max, ":")
                lines.append(f"=%{format_number(answer.weight)}% {spelled}{feedback}")
        return gift_answer_lines(lines, item.explanation, item.format, opening="{#")

    def render(self, item: Numerical, block, inline) -> dict[str, Any]:
        return {
            "answers": [_interval(a.min, a.max) for a in item.answers if a.weight >= 100],
            "answer_feedback": [inline(answer.feedback) for answer in item.answers],
        }

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        store, value = read_typed(form, name, number, MAX_NUMBER_CHARS, problems)
        if value and parse_decimal(value) is None:
            problems.append(f"Câu {number}: '{value}' không phải là một số.")
        return store, value or None

    def grader_response(self, layout, stored) -> Any:
        return stored_text(stored)

    def grade(self, item: Numerical, response: Any) -> Score:
        """Give the best weight among the intervals the typed number falls in."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return Score.of(0)
        number = read_number(response)
        if number is None:
            return Score.of(0, ignored=[response])
        best = None
        for index, answer in enumerate(item.answers):
            inside = answer.is_catch_all or answer.min <= number <= answer.max  # type: ignore[operator]
            if inside and (best is None or answer.weight > item.answers[best].weight):
                best = index
        if best is None:
            return Score.of(0)
        answer = item.answers[best]
        return Score.of(
            answer.weight / 100,
            [Part(best, is_full(answer.weight), answer.weight / 100, answer.feedback)],
        )

    def typed_answer(self, stored: Any) -> str | None:
        return folded_answer(stored)

    def review(self, item, rendered, layout, saved, response, score) -> dict[str, Any]:
        return typed_review(rendered, saved, score)
