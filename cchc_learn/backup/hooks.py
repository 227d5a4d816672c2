"""What features do around a restore: they register here (backup imports no feature).

A hook's `before()` runs on the database about to be replaced (it may return a state, or None
when that database is empty or unreadable); its `after(state)` runs once the backup is in
place and the schema is current, in a unit of work of its own, and returns a one-line summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

_EXTENSION = "cchc_restore_hooks"


@dataclass(frozen=True)
class RestoreHook:
    """A feature's part of a restore."""

    name: str
    after: Callable[[Any], str]
    before: Callable[[], Any] | None = None


def register(app: Flask, name: str, after: Callable[[Any], str],
             before: Callable[[], Any] | None = None) -> None:
    """Add a feature's part to `cchc-learn restore` (run in registration order)."""
    hooks: list[RestoreHook] = app.extensions.setdefault(_EXTENSION, [])
    if any(hook.name == name for hook in hooks):
        raise ValueError(f"restore hook {name!r} is registered twice")
    hooks.append(RestoreHook(name, after, before))


def registered(app: Flask) -> list[RestoreHook]:
    """The hooks in the order they run."""
    return list(app.extensions.get(_EXTENSION, []))
