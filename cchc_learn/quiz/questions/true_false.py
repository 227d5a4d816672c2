"""True/false: a statement that is true or false, with feedback for each choice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Choice, GiftQuestion, Item, MarkdownSection, QuestionType, ReviewOption
from .choice import read_picked
from .notation import GIFT_TRUTH, Entry, gift_general, gift_text, split_lines, truth_value
from .scoring import Part, Score
from .text import BLANKS, clean_text

LABELS = {"true": "Đúng", "false": "Sai"}


@dataclass(kw_only=True)
class TrueFalse(Item):
    """A statement that is true or false, with feedback for each choice."""

    type: ClassVar[str] = "true_false"
    answer: bool = True
    feedback_true: str = ""
    feedback_false: str = ""


class TrueFalseType(QuestionType):
    """Pick Đúng or Sai; the page offers the two as options keyed 1 (true) and 0 (false)."""

    name = "true_false"
    item_class = TrueFalse
    json_fields = {"answer": "bool", "feedback_true": "text", "feedback_false": "text"}
    json_required = {"answer": "câu Đúng/Sai thiếu trường 'answer' (true hoặc false)"}

    def texts(self, item: TrueFalse) -> list[str]:
        return [item.feedback_true, item.feedback_false]

    def check(self, item: TrueFalse, problems: list[str]) -> None:
        if not isinstance(item.answer, bool):
            problems.append("câu Đúng/Sai cần đáp án là đúng hoặc sai")

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        entries = section.entries
        if all(e.kind == "answer" for e in entries) and len(entries) == 1:
            entry = entries[0]
            value = truth_value("\n".join(entry.text))
            if value is None or entry.weight is not None:
                section.error(entry.line - 1, "câu Đúng/Sai ghi '= Đúng' hoặc '= Sai'")
                return None
            if entry.feedback:
                section.error(
                    entry.line - 1,
                    "phản hồi của câu Đúng/Sai viết dưới phương án: '- [x] Đúng' / '- [ ] Sai'",
                )
                return None
            return TrueFalse(**common, answer=value)
        values = [truth_value("\n".join(e.text)) for e in entries]
        if (
            len(entries) != 2
            or any(e.kind != "option" or e.mark not in {"x", " "} for e in entries)
            or set(values) != {True, False}
            or sum(e.mark == "x" for e in entries) != 1
        ):
            section.error(
                section.row,
                "câu Đúng/Sai ghi '= Đúng' / '= Sai', hoặc đúng hai phương án "
                "'- [x] Đúng' và '- [ ] Sai' (một phương án được đánh [x])",
            )
            return None
        feedback = {
            v: clean_text("\n".join(e.feedback)) for v, e in zip(values, entries, strict=True)
        }
        answer = next(v for v, e in zip(values, entries, strict=True) if e.mark == "x")
        return TrueFalse(
            **common, answer=answer, feedback_true=feedback[True], feedback_false=feedback[False]
        )

    def markdown_entries(self, item: TrueFalse) -> list[Entry]:
        if not (item.feedback_true or item.feedback_false):
            return [Entry("answer", 0, ["Đúng" if item.answer else "Sai"])]
        return [
            Entry(
                "option",
                0,
                ["Đúng"],
                mark="x" if item.answer else " ",
                feedback=split_lines(item.feedback_true),
            ),
            Entry(
                "option",
                0,
                ["Sai"],
                mark=" " if item.answer else "x",
                feedback=split_lines(item.feedback_false),
            ),
        ]

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        masked = question.masked
        cuts = [i for i in range(start, end) if masked[i] == "#"][:2]
        bounds = [start, *(i + 1 for i in cuts)]
        stops = [*cuts, end]
        spans = list(zip(bounds, stops, strict=True))
        answer = GIFT_TRUTH[question.source[spans[0][0] : spans[0][1]].strip(BLANKS)]
        wrong = question.text(*spans[1]) if len(spans) > 1 else ""
        right = question.text(*spans[2]) if len(spans) > 2 else ""
        # Moodle reads {T#a#b} as: a for the wrong choice, b for the right one.
        if answer:
            return TrueFalse(**common, answer=True, feedback_true=right, feedback_false=wrong)
        return TrueFalse(**common, answer=False, feedback_true=wrong, feedback_false=right)

    def gift_block(self, item: TrueFalse) -> str:
        fmt = item.format
        right, wrong = (
            (item.feedback_true, item.feedback_false)
            if item.answer
            else (item.feedback_false, item.feedback_true)
        )
        block = "TRUE" if item.answer else "FALSE"
        if wrong or right:
            block += "#" + gift_text(wrong, fmt)
        if right:
            block += "#" + gift_text(right, fmt)
        return "{" + block + gift_general(item.explanation, fmt) + "}"

    def render(self, item: TrueFalse, block, inline) -> dict[str, Any]:
        return {
            "feedback_true": inline(item.feedback_true),
            "feedback_false": inline(item.feedback_false),
        }

    def layout(self, item: TrueFalse, rng, shuffle, new_ids) -> dict[str, Any]:
        return {"options": [["true", 1], ["false", 0]]}

    def offer(self, rendered, layout, saved) -> dict[str, Any]:
        return {"choices": [Choice(oid, LABELS[oid], oid == saved) for oid, _ in layout["options"]]}

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        return read_picked(form, name, layout, number, problems)

    def grader_response(self, layout, stored) -> Any:
        return {"true": True, "false": False}.get(stored) if isinstance(stored, str) else None

    def grade(self, item: TrueFalse, response: Any) -> Score:
        """Give full marks when the chosen truth value is the right one."""
        if response is None:
            return Score.of(0)
        if not isinstance(response, bool):
            return Score.of(0, ignored=[response])
        right = response == item.answer
        feedback = item.feedback_true if response else item.feedback_false
        return Score.of(1.0 if right else 0.0, [Part(None, right, 1.0 if right else 0.0, feedback)])

    def chosen_keys(self, response: Any) -> list[int]:
        return [1 if response else 0] if response is not None else []

    def review(self, item: TrueFalse, rendered, layout, saved, response, score) -> dict[str, Any]:
        options = []
        for _oid, key in layout["options"]:
            truth = bool(key)
            options.append(
                ReviewOption(
                    "Đúng" if truth else "Sai",
                    response is truth,
                    item.answer is truth,
                    rendered["feedback_true" if truth else "feedback_false"]
                    if response is truth
                    else "",
                )
            )
        return {"options": options}

    def option_rows(self, data, rendered) -> list[tuple]:
        answer = data.get("answer")
        return [("Đúng" if key else "Sai", key, answer is bool(key)) for key in (1, 0)]
