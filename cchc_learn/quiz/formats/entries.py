"""Answer lines of the Markdown format and the rule that infers an item's type from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..items import clean_text, is_full
from .numbers import NUMBER, as_float, interval, parse_decimal

TRUE_WORDS = frozenset({"đúng", "true"})
FALSE_WORDS = frozenset({"sai", "false"})
CATCH_ALL = (None, None)
_RANGE = re.compile(rf"({NUMBER})[ \t]*\.\.[ \t]*({NUMBER})")
# `= answer (50%)`: one optional space before the weight belongs to it, so a writer can keep
# a trailing hard break on the answer's first line.
WEIGHT_SUFFIX = re.compile(r" ?\((?P<w>[-+]?\d+(?:[.,]\d+)?)[ \t]*%\)[ \t]*$")
_CENTER = re.compile(rf"({NUMBER})[ \t]*(?:±|\+/-|\+-|:)[ \t]*({NUMBER})")


@dataclass
class Entry:
    """One answer-list line with its indented continuation and feedback lines."""

    kind: str  # "option", "answer" or "pair"
    line: int
    text: list[str]
    right: str = ""
    mark: str = ""  # options: "x", " " or "%" (an explicit weight)
    weight: float | None = None
    feedback: list[str] = field(default_factory=list)


def truth_value(text: str) -> bool | None:
    """Read Đúng/Sai (or true/false) in any case; None for anything else."""
    word = clean_text(text).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def numeric_spec(text: str) -> tuple[float | None, float | None] | None:
    """Read `360`, `3.14 ± 0.01`, `3,14 +- 0,01`, `3.14:0.01`, `1..5` or `*` as (min, max)."""
    text = text.strip(" \t")
    if text == "*":
        return CATCH_ALL
    match = _RANGE.fullmatch(text)
    if match:
        low, high = parse_decimal(match[1]), parse_decimal(match[2])
        if low is None or high is None:
            return None
        return as_float(low), as_float(high)
    match = _CENTER.fullmatch(text)
    if match:
        center, tolerance = parse_decimal(match[1]), parse_decimal(match[2])
        if center is None or tolerance is None:
            return None
        return interval(center, tolerance)
    value = parse_decimal(text)
    if value is None:
        return None
    return as_float(value), as_float(value)


def _is_true_false_options(entries: list[Entry]) -> bool:
    values = {truth_value("\n".join(e.text)) for e in entries}
    return (
        len(entries) == 2
        and values == {True, False}
        and all(e.mark in {"x", " "} for e in entries)
        and sum(e.mark == "x" for e in entries) == 1
    )


def infer_type(entries: list[Entry]) -> str | None:
    """Infer the item type from its answer lines; None when there are none or they are mixed."""
    kinds = {entry.kind for entry in entries}
    if len(kinds) != 1:
        return None
    if kinds == {"pair"}:
        return "matching"
    if kinds == {"answer"}:
        specs = [numeric_spec("\n".join(entry.text)) for entry in entries]
        if all(spec is not None for spec in specs) and any(s != CATCH_ALL for s in specs):
            return "numerical"
        if (
            len(entries) == 1
            and entries[0].weight is None
            and truth_value("\n".join(entries[0].text)) is not None
        ):
            return "true_false"
        return "short_answer"
    if _is_true_false_options(entries):
        return "true_false"
    ticked = sum(entry.mark == "x" for entry in entries)
    if ticked == 1:
        return "single"
    if ticked >= 2:
        return "multiple"
    return (
        "single" if any(e.weight is not None and is_full(e.weight) for e in entries) else "multiple"
    )
