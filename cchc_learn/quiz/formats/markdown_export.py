"""Write quiz items in the Markdown question format, so that parsing gives them back unchanged."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from ..questions import Item, question_type
from ..questions.notation import Entry
from ..questions.numbers import format_number
from .attributes import format_attribute_line
from .entries import infer_type

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
    entries = question_type(item.type).markdown_entries(item)
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
    if question_type(item.type).diacritics and item.diacritics_insensitive:
        pairs.append(("diacritics", "insensitive"))
    return pairs


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
