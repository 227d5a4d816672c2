"""The rule that infers an item's type from its Markdown answer lines (`{type=…}` overrides it)."""

from __future__ import annotations

from ..questions import is_full
from ..questions.notation import CATCH_ALL, Entry, numeric_spec, truth_value


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
