"""Select-box choices shared by the admin forms."""

from __future__ import annotations

from ..org import service as org_service


def unit_choices(*, blank: str) -> list[tuple[str, str]]:
    """Units as indented (code, label) pairs, with a first blank choice."""
    rows = [("", blank)]
    for node in org_service.flatten(org_service.tree()):
        indent = "\u2014 " * node.depth
        rows.append((node.unit.code, f"{indent}{node.unit.name} ({node.unit.code})"))
    return rows
