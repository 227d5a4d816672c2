"""Quickstart steps after migrating (content sync, index build, …), registered by their owners."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

Step = Callable[[], None]

ACCOUNTS = 5
"""The demo province and its accounts: content names units (a plan's audience)."""
CONTENT = 10
"""Loading content/ (documents, lessons, quizzes, plans)."""
DEMO_DATA = 60
"""Demo data that needs the content and the accounts (Q&A questions, a learning history)."""
INDEX = 90
"""Building the search index, once everything it covers is written."""


def register_step(app: Flask, name: str, func: Step, *, order: int = CONTENT) -> None:
    """Let a feature add a quickstart step; steps run by order, then as registered."""
    app.extensions.setdefault("cchc_quickstart", []).append((order, name, func))


def steps() -> list[tuple[str, Step]]:
    """The registered steps of the current app in the order they run, as (name shown, function)."""
    registered = current_app.extensions.get("cchc_quickstart", [])
    return [(name, func) for _order, name, func in sorted(registered, key=lambda s: s[0])]
