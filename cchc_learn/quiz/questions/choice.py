"""Single and multiple choice: pick options, each worth a weight in percent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import (
    FULL,
    WEIGHT_SUM_TOLERANCE,
    Choice,
    GiftQuestion,
    Item,
    MarkdownSection,
    QuestionType,
    ReviewOption,
    check_weight,
    is_full,
    layout_ids,
    refused_choice,
)
from .notation import Entry, gift_answer_lines, gift_feedback, gift_text, split_lines
from .numbers import format_number
from .scoring import Part, Score, is_key
from .text import clean_text


@dataclass(kw_only=True)
class Option:
    """One option of a choice item; weight is the credit in percent when chosen."""

    text: str
    weight: float = 0.0
    feedback: str = ""


@dataclass(kw_only=True)
class ChoiceItem(Item):
    """A question answered by picking options, keyed by their authored position."""

    options: list[Option] = field(default_factory=list)

    def option_keys(self) -> range:
        """Return the stable keys of the options (their index in authored order)."""
        return range(len(self.options))


@dataclass(kw_only=True)
class SingleChoice(ChoiceItem):
    """Pick one option; at least one option is worth 100 %."""

    type: ClassVar[str] = "single"


@dataclass(kw_only=True)
class MultipleChoice(ChoiceItem):
    """Pick any options; positive weights add up to 100 %."""

    type: ClassVar[str] = "multiple"


class ChoiceType(QuestionType):
    """What single and multiple choice share: options, their layout, review and statistics."""

    json_parts = ("options", Option, {"text": "text", "weight": "number", "feedback": "text"})

    def parts(self, item: ChoiceItem) -> list[Any]:
        return item.options

    def texts(self, item: ChoiceItem) -> list[str]:
        return [t for o in item.options for t in (o.text, o.feedback)]

    def check(self, item: ChoiceItem, problems: list[str]) -> None:
        if len(item.options) < 2:
            problems.append("câu hỏi lựa chọn cần ít nhất 2 phương án")
        seen: set[str] = set()
        weights_ok = True
        for number, option in enumerate(item.options, start=1):
            if not option.text:
                problems.append(f"phương án thứ {number} để trống")
            elif option.text in seen:
                problems.append(f"phương án bị lặp: {option.text!r}")
            seen.add(option.text)
            weights_ok &= check_weight(option.weight, -FULL, f"phương án thứ {number}", problems)
        if weights_ok:
            self.check_weights(item, problems)

    def check_weights(self, item: ChoiceItem, problems: list[str]) -> None:
        """Record weights that cannot give full marks the way this type adds them up."""

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        if not section.only(self.name, "option", "các phương án '- [ ] …' / '- [x] …'"):
            return None
        ticked = [e for e in section.entries if e.mark == "x"]
        share = 100.0
        if self.name == "multiple" and ticked:
            if any(e.weight is not None and e.weight > 0 for e in section.entries):
                section.error(
                    section.row,
                    "câu nhiều đáp án: hoặc đánh [x] mọi đáp án đúng, hoặc ghi trọng số "
                    "[50%] cho từng đáp án đúng, không trộn hai cách",
                )
                return None
            share = 100.0 / len(ticked)
        options = [
            Option(
                text=clean_text("\n".join(e.text)),
                weight=share if e.mark == "x" else (e.weight or 0.0),
                feedback=clean_text("\n".join(e.feedback)),
            )
            for e in section.entries
        ]
        return self.item_class(**common, options=options)

    def markdown_entries(self, item: ChoiceItem) -> list[Entry]:
        positive = [o.weight for o in item.options if o.weight > 0]
        if isinstance(item, MultipleChoice):
            share = 100.0 / len(positive) if positive else None
            ticked = share is not None and all(w == share for w in positive)
        else:
            share, ticked = 100.0, True
        entries = []
        for option in item.options:
            if ticked and option.weight == share:
                mark, weight = "x", None
            elif option.weight == 0:
                mark, weight = " ", None
            else:
                mark, weight = "%", option.weight
            entries.append(
                Entry(
                    "option",
                    0,
                    option.text.split("\n"),
                    mark=mark,
                    weight=weight,
                    feedback=split_lines(option.feedback),
                )
            )
        return entries

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        # GIFT spells both kinds alike: an `=` option makes it single choice.
        parts = question.parts(start, end, "~=")
        if parts and not parts[0].marker:
            question.error(
                parts[0].begin, "có chữ thừa trước đáp án đầu tiên (đáp án bắt đầu bằng ~ hoặc =)"
            )
            return None
        options = [
            Option(
                text=p.text,
                weight=p.weight if p.weight is not None else (100.0 if p.marker == "=" else 0.0),
                feedback=p.feedback,
            )
            for p in parts
        ]
        single = any(p.marker == "=" for p in parts)
        return (SingleChoice if single else MultipleChoice)(**common, options=options)

    def gift_block(self, item: ChoiceItem) -> str:
        lines = []
        single_right = None
        if isinstance(item, SingleChoice):
            single_right = next(i for i, o in enumerate(item.options) if is_full(o.weight))
        for index, option in enumerate(item.options):
            weight = f"%{format_number(option.weight)}%"
            if index == single_right:
                marker = "=" + (
                    weight if option.weight != 100 or option.text.startswith("%") else ""
                )
            elif option.weight == 0 and not option.text.startswith("%"):
                marker = "~"
            else:
                marker = "~" + weight
            lines.append(
                f"{marker} {gift_text(option.text, item.format)}"
                + gift_feedback(option.feedback, item.format)
            )
        return gift_answer_lines(lines, item.explanation, item.format)

    def render(self, item: ChoiceItem, block, inline) -> dict[str, Any]:
        return {
            "options": [inline(option.text) for option in item.options],
            "option_feedback": [inline(option.feedback) for option in item.options],
        }

    def layout(self, item: ChoiceItem, rng, shuffle, new_ids) -> dict[str, Any]:
        keys = list(item.option_keys())
        if shuffle:
            rng.shuffle(keys)
        return {"options": [[oid, key] for oid, key in zip(new_ids(len(keys)), keys, strict=True)]}

    def offer(self, rendered, layout, saved) -> dict[str, Any]:
        chosen = saved if isinstance(saved, list) else [saved]
        return {
            "choices": [
                Choice(oid, rendered["options"][key], oid in chosen)
                for oid, key in layout["options"]
            ]
        }

    def review(self, item: ChoiceItem, rendered, layout, saved, response, score) -> dict[str, Any]:
        chosen = set(response if isinstance(response, list) else [response])
        return {
            "options": [
                ReviewOption(
                    rendered["options"][key],
                    key in chosen,
                    item.options[key].weight > 0,
                    rendered["option_feedback"][key] if key in chosen else "",
                )
                for _, key in layout["options"]
            ]
        }

    def option_rows(self, data, rendered) -> list[tuple]:
        return [
            (rendered["options"][key], key, option["weight"] > 0)
            for key, option in enumerate(data["options"])
        ]


class SingleType(ChoiceType):
    """Pick one option; its weight is the grade."""

    name = "single"
    item_class = SingleChoice

    def check_weights(self, item: ChoiceItem, problems: list[str]) -> None:
        if not any(is_full(o.weight) for o in item.options):
            problems.append("câu hỏi không có đáp án đúng (cần một phương án 100%)")

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        return read_picked(form, name, layout, number, problems)

    def grader_response(self, layout, stored) -> Any:
        return layout_ids(layout).get(stored) if isinstance(stored, str) else None

    def grade(self, item: ChoiceItem, response: Any) -> Score:
        """Give the weight of the chosen option, never below zero."""
        if response is None:
            return Score.of(0)
        if not is_key(response, len(item.options)):
            return Score.of(0, ignored=[response])
        option = item.options[response]
        part = Part(response, is_full(option.weight), option.weight / 100, option.feedback)
        return Score.of(option.weight / 100, [part])

    def chosen_keys(self, response: Any) -> list[int]:
        return [response] if response is not None else []


class MultipleType(ChoiceType):
    """Pick any options; their weights add up (Moodle style)."""

    name = "multiple"
    item_class = MultipleChoice

    def check_weights(self, item: ChoiceItem, problems: list[str]) -> None:
        positive = sum(o.weight for o in item.options if o.weight > 0)
        if positive == 0:
            problems.append("câu hỏi không có đáp án đúng")
        elif abs(positive - FULL) > WEIGHT_SUM_TOLERANCE:
            problems.append(
                f"tổng trọng số các phương án đúng phải bằng 100% (hiện là {positive:g}%)"
            )

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        ids = layout_ids(layout)
        posted = [v for v in form.getlist(name) if v]
        if any(v not in ids for v in posted):
            problems.append(refused_choice(number))
        order = list(ids)
        chosen = sorted({v for v in posted if v in ids}, key=order.index)
        return True, chosen or None

    def grader_response(self, layout, stored) -> Any:
        ids = layout_ids(layout)
        return (
            [ids[v] for v in stored if isinstance(v, str) and v in ids]
            if isinstance(stored, list)
            else None
        )

    def grade(self, item: ChoiceItem, response: Any) -> Score:
        """Add the weights of the chosen options, floored at 0 and capped at 1."""
        if response is None:
            return Score.of(0)
        if isinstance(response, str | bytes | Mapping) or not isinstance(response, Iterable):
            return Score.of(0, ignored=[response])
        chosen: list[int] = []
        ignored = []
        for key in response:
            if not is_key(key, len(item.options)):
                ignored.append(key)
            elif key not in chosen:
                chosen.append(key)
        chosen.sort()
        parts = [
            Part(
                k,
                item.options[k].weight > 0,
                item.options[k].weight / 100,
                item.options[k].feedback,
            )
            for k in chosen
        ]
        return Score.of(sum(part.credit for part in parts), parts, ignored)

    def chosen_keys(self, response: Any) -> list[int]:
        return sorted(set(response)) if response else []


def read_picked(form, name: str, layout, number: int, problems: list[str]) -> tuple[bool, Any]:
    """Read one picked option id (a radio button), refusing an id the page did not offer."""
    value = form.get(name) or None
    if value is not None and value not in layout_ids(layout):
        problems.append(refused_choice(number))
        value = None
    return True, value
