"""Read answers posted for an attempt, and turn stored answers into what the graders take.

A page names options only by the opaque ids of the attempt's layout. A stored response keeps
those ids (single: id, multiple: list of ids, true_false: "true"/"false", typed answers: the
text, matching: {left id: right id}); anything else posted is ignored and reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any, Protocol

from ..numbers import vi_count
from .formats.numbers import parse_decimal
from .grading import MAX_TYPED, fold_text

MAX_NUMBER_CHARS = 100
MAX_ESSAY_CHARS = 20_000
TEXT_TYPES = ("short_answer", "numerical")


class Slot(Protocol):
    """What reading a response needs to know of an attempt item."""

    position: int
    item: dict[str, Any]
    layout: dict[str, Any]


class Form(Protocol):
    """A multi-valued form (werkzeug's MultiDict)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def field_name(position: int) -> str:
    """The form field of the item at position."""
    return f"q{position}"


def _ids(layout: dict[str, Any], part: str = "options") -> dict[str, int]:
    return {str(oid): int(key) for oid, key in layout.get(part, [])}


def _read_one(slot: Slot, form: Form, problems: list[str]) -> tuple[bool, Any]:
    """Return (whether to store, value) for one item."""
    name, kind, number = field_name(slot.position), slot.item.get("type"), slot.position
    bad = f"Câu {number}: lựa chọn không hợp lệ đã bị bỏ qua."
    if kind in ("single", "true_false"):
        value = form.get(name) or None
        if value is not None and value not in _ids(slot.layout):
            problems.append(bad)
            value = None
        return True, value
    if kind == "multiple":
        ids = _ids(slot.layout)
        posted = [v for v in form.getlist(name) if v]
        if any(v not in ids for v in posted):
            problems.append(bad)
        order = list(ids)
        chosen = sorted({v for v in posted if v in ids}, key=order.index)
        return True, chosen or None
    if kind in TEXT_TYPES:
        value = form.get(name) or ""
        limit = MAX_TYPED if kind == "short_answer" else MAX_NUMBER_CHARS
        if len(value) > limit:
            problems.append(
                f"Câu {number}: câu trả lời dài quá {vi_count(limit)} ký tự nên không được lưu."
            )
            return False, None
        value = unicodedata.normalize("NFC", value).strip()
        if kind == "numerical" and value and parse_decimal(value) is None:
            problems.append(f"Câu {number}: '{value}' không phải là một số.")
        return True, value or None
    if kind == "essay":
        # Browsers count a line break once in maxlength but post it as CR LF.
        value = (form.get(name) or "").replace("\r\n", "\n")
        if len(value) > MAX_ESSAY_CHARS:
            problems.append(
                f"Câu {number}: bài viết dài quá {vi_count(MAX_ESSAY_CHARS)} ký tự nên không "
                "được lưu."
            )
            return False, None
        value = unicodedata.normalize("NFC", value).strip()
        return True, value or None
    if kind == "matching":
        lefts, rights = _ids(slot.layout, "lefts"), _ids(slot.layout, "rights")
        chosen = {}
        for lid in lefts:
            value = form.get(f"{name}-{lid}") or None
            if value is None:
                continue
            if value in rights:
                chosen[lid] = value
            else:
                problems.append(bad)
        return True, chosen or None
    return False, None


def read_responses(slots: list[Slot], form: Form) -> tuple[dict[int, Any], list[str]]:
    """The responses a form gives for the attempt's items (by position) and what was refused."""
    problems: list[str] = []
    responses = {}
    for slot in slots:
        store, value = _read_one(slot, form, problems)
        if store:
            responses[slot.position] = value
    return responses, problems


def grader_response(kind: str, layout: dict[str, Any], stored: Any) -> Any:
    """Turn a stored response into the keys and values the graders take."""
    if stored is None:
        return None
    if kind == "single":
        return _ids(layout).get(stored) if isinstance(stored, str) else None
    if kind == "multiple":
        ids = _ids(layout)
        return (
            [ids[v] for v in stored if isinstance(v, str) and v in ids]
            if isinstance(stored, list)
            else None
        )
    if kind == "true_false":
        return {"true": True, "false": False}.get(stored) if isinstance(stored, str) else None
    if kind in (*TEXT_TYPES, "essay"):
        return stored if isinstance(stored, str) else None
    if kind == "matching" and isinstance(stored, Mapping):
        lefts, rights = _ids(layout, "lefts"), _ids(layout, "rights")
        return {
            lefts[lid]: rights[rid]
            for lid, rid in stored.items()
            if lid in lefts and isinstance(rid, str) and rid in rights
        }
    return None


def chosen_keys(kind: str, layout: dict[str, Any], stored: Any) -> list[int]:
    """Option keys a response chose (true is 1, false 0), for the option distribution."""
    response = grader_response(kind, layout, stored)
    if kind == "single" and response is not None:
        return [response]
    if kind == "multiple" and response:
        return sorted(set(response))
    if kind == "true_false" and response is not None:
        return [1 if response else 0]
    return []


def typed_answer(kind: str, stored: Any) -> str | None:
    """A typed answer folded the way graders compare it, for the list of frequent answers."""
    if kind not in TEXT_TYPES or not isinstance(stored, str) or not stored.strip():
        return None
    return fold_text(stored)[:200]
