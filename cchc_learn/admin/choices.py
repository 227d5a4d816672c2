"""Select-box choices shared by the admin forms."""

from __future__ import annotations

from typing import Any

from ..formkit import choice_list
from ..org import service as org_service

__all__ = ["choice_list", "unit_choices"]


def unit_choices(*, blank: str) -> list[Any]:
    """Units as indented (code, label) choices, with a first blank choice."""
    rows = [("", blank)]
    for node in org_service.flatten(org_service.tree()):
        indent = "\u2014 " * node.depth
        rows.append((node.unit.code, f"{indent}{node.unit.name} ({node.unit.code})"))
    return choice_list(rows)
