"""Write quiz items as Moodle GIFT, so that Moodle and our own reader get them back unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from ..questions import Item, question_type
from ..questions.notation import escape
from .gift_text import category_for_topic


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


def _meta_lines(item: Item) -> list[str]:
    lines = []
    first = [f"[id:{item.id}]"] if item.id else []
    first += [f"[tag:{tag}]" for tag in item.tags]
    second = [f"[difficulty:{item.difficulty}]"] if item.difficulty is not None else []
    second += [f"[ref:{item.ref}]"] if item.ref else []
    if question_type(item.type).diacritics and item.diacritics_insensitive:
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
    lines.append(head + question_type(item.type).gift_block(item))
    return "\n".join(lines) + "\n"
