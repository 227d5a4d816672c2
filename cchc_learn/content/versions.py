"""What every kind's sync does to a stored row: add it, take it a version on, or archive it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from ..clock import utcnow
from ..extensions import db
from .summary import SyncSummary

Row = TypeVar("Row", bound=Any)


def added_or_next(row: Row | None, make: Callable[[], Row], key: str, summary: SyncSummary) -> Row:
    """The row a changed source goes into: a new one (added), or the stored one a version on."""
    if row is None:
        row = make()
        db.session.add(row)
        summary.note("added", key)
    else:
        row.version += 1
        summary.note("updated", key)
    return row


def archive_gone(existing: Mapping[str, Row], names: Collection[str], summary: SyncSummary) -> list:
    """Archive the file-sourced rows of existing (by slug) whose file is gone; return them."""
    gone = []
    for slug, row in existing.items():
        if row.from_file and slug not in names and not row.archived:
            row.archived = True
            row.updated_at = utcnow()
            summary.note("archived", slug)
            gone.append(row)
    return gone
