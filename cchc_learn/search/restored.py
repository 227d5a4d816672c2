"""What a restore means for search: every host's index must forget the replaced content.

The restored change log is as old as the backup, so its newest id may be lower than the one a
host has already applied; that host would take the log for applied and keep serving the
replaced content. After a restore, therefore, one change is logged for every object indexed
before or after it, with ids above any id the log had before the restore. Each host applies
them like any other change (upserting what exists, deleting what is gone) and converges; the
ids also move the version `kept` values depend on. This host rebuilds its index right away.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, text

from ..database import transactional
from ..extensions import db
from . import indexer
from .models import SearchChange
from .providers import providers


@dataclass(frozen=True)
class Before:
    """The log's newest id and the indexed objects of the database about to be replaced."""

    newest: int
    objects: set[tuple[str, int]]


def _indexed() -> set[tuple[str, int]]:
    return {(kind, int(object_id)) for kind, provider in providers().items()
            if provider.expand is None for object_id in provider.all_ids()}


def before_restore() -> Before:
    """Remember what the database about to be replaced has indexed."""
    return Before(indexer.latest_change_id(), _indexed())


@transactional
def _log_everything(before: Before | None) -> int:
    objects = sorted(_indexed() | (before.objects if before else set()))
    start = max(indexer.latest_change_id(), before.newest if before else 0) + 1
    rows = [{"id": start + offset, "kind": kind, "object_id": object_id}
            for offset, (kind, object_id) in enumerate(objects)]
    if rows:
        db.session.execute(insert(SearchChange), rows)
        if db.session.get_bind().dialect.name == "postgresql":
            # Explicit ids leave the sequence behind: the next change must come after them.
            db.session.execute(
                text("SELECT setval(pg_get_serial_sequence('search_change', 'id'), :last)"),
                {"last": rows[-1]["id"]})
    return len(rows)


def after_restore(before: Before | None) -> str:
    """Log a change for every object, then rebuild this host's index."""
    logged = _log_everything(before)
    count = indexer.rebuild()
    return (f"đã ghi {logged} thay đổi để mọi máy chủ cập nhật chỉ mục; chỉ mục của máy này "
            f"đã được xây dựng lại ({count} mục).")
