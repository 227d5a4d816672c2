"""Select-box choices shared by the admin forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..org import service as org_service

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None


def choice_list(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """Select choices from (value, label) pairs, in the form this WTForms takes without warning."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def unit_choices(*, blank: str) -> list[Any]:
    """Units as indented (code, label) choices, with a first blank choice."""
    rows = [("", blank)]
    for node in org_service.flatten(org_service.tree()):
        indent = "\u2014 " * node.depth
        rows.append((node.unit.code, f"{indent}{node.unit.name} ({node.unit.code})"))
    return choice_list(rows)
