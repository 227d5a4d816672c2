"""What each account has to do next: features register providers, the home page lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_login import current_user


@dataclass(frozen=True)
class Item:
    """One thing to do: a label, how many, where to do it, and whether it is late."""

    label: str
    count: int
    url: str
    urgent: bool = False


Provider = Callable[[Any], list[Item]]


def register(app: Flask, provider: Provider) -> None:
    """Add a source of things to do (called with the signed-in account)."""
    app.extensions.setdefault("cchc_agenda", []).append(provider)


def items() -> list[Item]:
    """Everything the signed-in account has to do next, urgent first."""
    if not current_user.is_authenticated:
        return []
    account = current_user._get_current_object()
    found: list[Item] = []
    for provider in current_app.extensions.get("cchc_agenda", []):
        found.extend(provider(account))
    return sorted(found, key=lambda item: not item.urgent)


def init_app(app: Flask) -> None:
    """Expose agenda_items() to templates."""
    app.jinja_env.globals["agenda_items"] = items
