"""Write quiz items as Moodle GIFT, so that Moodle and our own reader get them back unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from ..items import (
    ChoiceItem,
    Description,
    Essay,
    Item,
    Matching,
    Numerical,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    is_full,
)
from .gift_text import FORMAT_TAG, category_for_topic, escape
from .numbers import format_number, spell_interval


def to_gift(items: Iterable[Item]) -> str:
    """Return a GIFT file holding items; topics become `$CATEGORY:` lines."""
    blocks = []
    topic = ""
    for item in items:
        if item.topic != topic:
            blocks.append(f"$CATEGORY: {category_for_topic(item.topic)}\n")
            topic = item.topic
        blocks.append(_question(item))
    return "\n".join(blocks)


def _text(text: str, fmt: str) -> str:
    # A text that itself begins like a format tag gets the real tag in front of it.
    protect = FORMAT_TAG.match(text) is not None
    return (f"[{fmt}]" if protect else "") + escape(text)


def _meta_lines(item: Item) -> list[str]:
    lines = []
    first = [f"[id:{item.id}]"] if item.id else []
    first += [f"[tag:{tag}]" for tag in item.tags]
    second = [f"[difficulty:{item.difficulty}]"] if item.difficulty is not None else []
    second += [f"[ref:{item.ref}]"] if item.ref else []
    if isinstance(item, ShortAnswer) and item.diacritics_insensitive:
        second.append("[diacritics:insensitive]")
    for group in (first, second):
        if group:
            lines.append("// " + " ".join(group))
    return lines


def _question(item: Item) -> str:
    head = f"::{escape(item.title)}::" if item.title else ""
    stem = escape(item.stem)
    # Without the tag a stem could read as a format tag, a comment or a category line.
    needs_tag = (
        item.format != "moodle"
        or stem.startswith("[")
        or (not head and stem.startswith(("//", "$")))
    )
    head += (f"[{item.format}]" if needs_tag else "") + stem
    lines = _meta_lines(item)
    if isinstance(item, Description):
        lines.append(head)
    else:
        lines.append(head + _answer_block(item))
    return "\n".join(lines) + "\n"


def _general(item: Item) -> str:
    return f"####{_text(item.explanation, item.format)}" if item.explanation else ""


def _answer_block(item: Item) -> str:
    fmt = item.format
    if isinstance(item, Essay):
        return "{" + _general(item) + "}"
    if isinstance(item, TrueFalse):
        right, wrong = (
            (item.feedback_true, item.feedback_false)
            if item.answer
            else (item.feedback_false, item.feedback_true)
        )
        block = "TRUE" if item.answer else "FALSE"
        if wrong or right:
            block += "#" + _text(wrong, fmt)
        if right:
            block += "#" + _text(right, fmt)
        return "{" + block + _general(item) + "}"
    if isinstance(item, ChoiceItem):
        lines = _choice_lines(item)
    elif isinstance(item, ShortAnswer):
        lines = [
            f"=%{format_number(a.weight)}% {_text(a.text, fmt)}" + _feedback(a.feedback, fmt)
            for a in item.answers
        ]
    elif isinstance(item, Numerical):
        lines = _numerical_lines(item)
    elif isinstance(item, Matching):
        lines = [_pair_line(p.left, p.right, fmt) for p in item.pairs]
    else:  # pragma: no cover - every item class is handled above
        raise TypeError(f"no GIFT form for {item.type}")
    if item.explanation:
        lines.append(_general(item))
    opening = "{#" if isinstance(item, Numerical) else "{"
    return opening + "\n" + "".join(f"\t{line}\n" for line in lines) + "}"


def _feedback(text: str, fmt: str) -> str:
    return f" #{_text(text, fmt)}" if text else ""


def _choice_lines(item: ChoiceItem) -> list[str]:
    lines = []
    single_right = None
    if isinstance(item, SingleChoice):
        single_right = next(i for i, o in enumerate(item.options) if is_full(o.weight))
    for index, option in enumerate(item.options):
        weight = f"%{format_number(option.weight)}%"
        if index == single_right:
            marker = "=" + (weight if option.weight != 100 or option.text.startswith("%") else "")
        elif option.weight == 0 and not option.text.startswith("%"):
            marker = "~"
        else:
            marker = "~" + weight
        lines.append(
            f"{marker} {_text(option.text, item.format)}" + _feedback(option.feedback, item.format)
        )
    return lines


def _numerical_lines(item: Numerical) -> list[str]:
    lines = []
    for index, answer in enumerate(item.answers):
        feedback = _feedback(answer.feedback, item.format)
        last = index == len(item.answers) - 1
        if answer.is_catch_all and answer.weight == 0 and last:
            # Moodle's own spelling of "any other answer"; it must come last.
            lines.append("~" + (feedback.lstrip() or "#"))
        else:
            spelled = spell_interval(answer.min, answer.max, ":")
            lines.append(f"=%{format_number(answer.weight)}% {spelled}{feedback}")
    return lines


def _pair_line(left: str, right: str, fmt: str) -> str:
    # A left side opening with '%' would read as a weight, which would make this a short answer.
    written = escape(left)
    if FORMAT_TAG.match(left) or left.startswith("%"):
        written = f"[{fmt}]" + written
    return f"= {written} -> {escape(right)}" if written else f"= -> {escape(right)}"
