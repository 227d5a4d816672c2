"""The one central hook that records access events for tracked views.

A tracked view is marked with @tracked; it calls note_access() once it knows what it showed.
@tracked also marks the view as writing on GET, so the request's transaction takes SQLite's
write lock before its first query; the hook inserts the event in that same transaction after
the view succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, g, request
from flask_login import current_user

from ..database import writes_on_get
from ..extensions import db
from .models import AccessEvent

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Access:
    """What a tracked view showed."""

    object_type: str
    object_id: int
    version: int | None
    action: str = "view"


def tracked(view: F) -> F:
    """Mark a view whose successful responses to signed-in users are recorded."""
    view.tracked = True  # type: ignore[attr-defined]
    return writes_on_get(view)


def note_access(
    object_type: str, object_id: int, version: int | None, action: str = "view"
) -> None:
    """Tell the hook what this request showed (called by a tracked view)."""
    g.cchc_access = Access(object_type, object_id, version, action)


def _after(response):
    access: Access | None = g.pop("cchc_access", None)
    if access is None or not current_user.is_authenticated:
        return response
    if response.status_code != 200 or request.method != "GET":
        return response
    db.session.add(
        AccessEvent(
            user_id=current_user.id,
            object_type=access.object_type,
            object_id=access.object_id,
            version=access.version,
            action=access.action,
        )
    )
    # Committed here so the event is durable before the user sees the page; a failure
    # becomes a 500 rather than a silently lost event.
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    """Install the hooks."""
    app.after_request(_after)
