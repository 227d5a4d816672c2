"""Read the answers posted for an attempt into the responses it stores.

A page names options only by the opaque ids of the attempt's layout. A stored response keeps
those ids (single: id, multiple: list of ids, true_false: "true"/"false", typed answers: the
text, matching: {left id: right id}); anything else posted is ignored and reported. What each
type accepts is its `read_response` hook.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..questions import Form, question_type


class Slot(Protocol):
    """What reading a response needs to know of an attempt item."""

    position: int
    item: dict[str, Any]
    layout: dict[str, Any]


def field_name(position: int) -> str:
    """The form field of the item at position."""
    return f"q{position}"


def read_responses(slots: list[Slot], form: Form) -> tuple[dict[int, Any], list[str]]:
    """The responses a form gives for the attempt's items (by position) and what was refused."""
    problems: list[str] = []
    responses = {}
    for slot in slots:
        kind = question_type(slot.item.get("type"))
        store, value = kind.read_response(
            form, field_name(slot.position), slot.layout, slot.position, problems
        )
        if store:
            responses[slot.position] = value
    return responses, problems
