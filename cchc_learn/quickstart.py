"""Quickstart steps after migrating (content sync, index build, …), registered by their owners."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

Step = Callable[[], None]


def register_step(app: Flask, name: str, func: Step) -> None:
    """Let a feature add a quickstart step (content sync, index build, …); steps run in order."""
    app.extensions.setdefault("cchc_quickstart", []).append((name, func))


def steps() -> list[tuple[str, Step]]:
    """The registered steps of the current app, as (name shown, function)."""
    return current_app.extensions.get("cchc_quickstart", [])
