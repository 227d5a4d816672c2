"""Home-page panels: each feature registers what a role has to do next; the home page shows them.

A panel is a template and a function giving its context for the signed-in account (None: the
panel has nothing to show). The home page imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_login import current_user


@dataclass(frozen=True)
class Panel:
    """One panel of the home page, for accounts holding one of roles."""

    name: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    roles: tuple[str, ...]
    order: int = 100


def register(app: Flask, panel: Panel) -> None:
    """Add a panel to the home page."""
    app.extensions.setdefault("cchc_home_panels", []).append(panel)


def panels() -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every panel the current account sees, in order."""
    if not current_user.is_authenticated:
        return []
    roles = current_user.role_names
    shown = []
    for panel in sorted(current_app.extensions.get("cchc_home_panels", []), key=lambda p: p.order):
        if roles.isdisjoint(panel.roles):
            continue
        context = panel.context(current_user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
