"""Write quiz items in the Markdown question format, so that parsing gives them back unchanged."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from ..items import (
    ChoiceItem,
    Item,
    Matching,
    MultipleChoice,
    Numerical,
    ShortAnswer,
    TrueFalse,
)
from .attributes import format_attribute_line
from .entries import WEIGHT_SUFFIX, Entry, infer_type
from .numbers import format_number, spell_interval

_LINE_ESCAPED = ("-", "=", ">", "{", "#", "\\")


def to_markdown(
    items: Iterable[Item], *, bank: str | None = None, title: str = "", description: str = ""
) -> str:
    """Return a Markdown bank holding items (and the bank's own facts in front matter)."""
    parts = []
    front = {k: v for k, v in (("bank", bank), ("title", title), ("description", description)) if v}
    if front:
        dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1_000_000)
        parts.append(f"---\n{dumped}---\n")
    parts.extend("\n".join(_item_lines(item)) + "\n" for item in items)
    return "\n".join(parts)


def _item_lines(item: Item) -> list[str]:
    stem = item.stem.split("\n")
    entries = _entries(item)
    lines = [f"## {stem[0]}"]
    attributes = _attributes(item, entries)
    if attributes:
        lines.append(format_attribute_line(attributes))
    lines += ["\\" + line if line.startswith(_LINE_ESCAPED) else line for line in stem[1:]]
    for entry in entries:
        lines += _entry_lines(entry)
    if item.explanation:
        lines += [f"> {line}" if line else ">" for line in item.explanation.split("\n")]
    return lines


def _attributes(item: Item, entries: list[Entry]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if infer_type(entries) != item.type:
        pairs.append(("type", item.type))
    for key in ("id", "title", "topic", "ref"):
        if getattr(item, key):
            pairs.append((key, getattr(item, key)))
    if item.difficulty is not None:
        pairs.append(("difficulty", str(item.difficulty)))
    if item.tags:
        pairs.append(("tags", ",".join(item.tags)))
    if item.format != "markdown":
        pairs.append(("format", item.format))
    if isinstance(item, ShortAnswer) and item.diacritics_insensitive:
        pairs.append(("diacritics", "insensitive"))
    return pairs


def _entries(item: Item) -> list[Entry]:
    if isinstance(item, ChoiceItem):
        return _choice_entries(item)
    if isinstance(item, TrueFalse):
        if not (item.feedback_true or item.feedback_false):
            return [Entry("answer", 0, ["Đúng" if item.answer else "Sai"])]
        return [
            Entry(
                "option",
                0,
                ["Đúng"],
                mark="x" if item.answer else " ",
                feedback=_split(item.feedback_true),
            ),
            Entry(
                "option",
                0,
                ["Sai"],
                mark=" " if item.answer else "x",
                feedback=_split(item.feedback_false),
            ),
        ]
    if isinstance(item, ShortAnswer):
        return [
            Entry(
                "answer",
                0,
                a.text.split("\n"),
                weight=None
                if a.weight == 100 and not WEIGHT_SUFFIX.search(a.text.split("\n")[0])
                else a.weight,
                feedback=_split(a.feedback),
            )
            for a in item.answers
        ]
    if isinstance(item, Numerical):
        return [
            Entry(
                "answer",
                0,
                [spell_interval(a.min, a.max, " ± ")],
                weight=None if a.weight == 100 else a.weight,
                feedback=_split(a.feedback),
            )
            for a in item.answers
        ]
    if isinstance(item, Matching):
        return [Entry("pair", 0, [p.left], right=p.right) for p in item.pairs]
    return []


def _choice_entries(item: ChoiceItem) -> list[Entry]:
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
                feedback=_split(option.feedback),
            )
        )
    return entries


def _split(text: str) -> list[str]:
    return text.split("\n") if text else []


def _entry_lines(entry: Entry) -> list[str]:
    first, *rest = entry.text
    if entry.kind == "pair":
        left = "\\" + first if first.startswith(("[", "\\")) else first
        return [f"- {left} -> {entry.right}" if left else f"- -> {entry.right}"]
    if entry.kind == "option":
        mark = f"{format_number(entry.weight)}%" if entry.mark == "%" else entry.mark
        lines = [f"- [{mark}] {first}"]
    else:
        suffix = "" if entry.weight is None else f" ({format_number(entry.weight)}%)"
        lines = [f"= {first}{suffix}"]
    for line in rest:
        if not line:
            lines.append("")
        elif line.startswith("\\") or line.lstrip(" \t").startswith(">"):
            lines.append(f"  \\{line}")
        else:
            lines.append(f"  {line}")
    lines += [f"  > {line}" if line else "  >" for line in entry.feedback]
    return lines
