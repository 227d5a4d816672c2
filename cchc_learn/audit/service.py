"""Write audit entries inside the caller's transaction."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select

from ..extensions import db
from .models import AuditEntry


class Actor(Protocol):
    """Who acts: an account (the audit log sits below the accounts and names only this)."""

    id: int
    username: str

SYSTEM_ACTOR = "hệ thống"


def record(
    actor: Actor | None,
    action: str,
    target_type: str,
    target_id: object | None,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else SYSTEM_ACTOR,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        summary=summary[:500],
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(entry)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def list_entries(
    *, page: int = 1, per_page: int = 50, action: str | None = None, actor: str | None = None
) -> tuple[list[AuditEntry], int]:
    """Return one page of entries, newest first, and the total."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_name == actor)
    found = db.paginate(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page=max(page, 1),
        per_page=per_page,
        error_out=False,
    )
    return list(found.items), found.total or 0
