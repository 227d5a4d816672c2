"""Keep a previewed class import server-side until its uploader confirms it, exactly once.

The uploads share the organisation import's table (`import_batch`) and time limit. Their
digest is taken over the kind and the content together, so the organisation import's
confirmation — which checks a plain digest of the content — never takes one of them for its
own (it answers that the preview no longer exists).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..clock import utcnow
from ..database import declare_write
from ..extensions import db
from ..org.importing import BatchAlreadyCommitted, BatchMissing, purge_expired
from ..org.importing.batches import batch_ttl
from ..org.importing.models import COMMITTED, ImportBatch

SHEET_KIND, ROSTER_KIND, PAST_KIND = "class_sheet", "class_roster", "class_past"

__all__ = ["BatchAlreadyCommitted", "BatchMissing", "keep", "take", "finish"]


def digest(kind: str, data: bytes) -> str:
    """The batch's digest: the kind and the content together."""
    return hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()


def keep(kind: str, filename: str, data: bytes, uploader: User, meta: dict[str, Any]) -> str:
    """Add a pending upload to the caller's transaction; return its token."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    db.session.add(ImportBatch(
        token=token,
        kind=kind,
        filename=filename[:255],
        content=data,
        sha256=digest(kind, data),
        size=len(data),
        uploader_id=uploader.id,
        result=meta,
    ))
    return token


def take(kind: str, token: str, uploader: User, *, lock: bool = False) -> ImportBatch:
    """The uploader's pending upload of this kind; raise BatchMissing or BatchAlreadyCommitted.

    With lock, the row is locked until the transaction ends, so a second confirmation waits
    for the first and then finds it committed.
    """
    query = select(ImportBatch).where(
        ImportBatch.token == token[:64],
        ImportBatch.uploader_id == uploader.id,
        ImportBatch.kind == kind,
    )
    batch = db.session.scalar(query.with_for_update() if lock else query)
    if batch is None or batch.created_at < utcnow() - batch_ttl():
        raise BatchMissing(token)
    if batch.status == COMMITTED:
        raise BatchAlreadyCommitted(batch)
    if digest(kind, batch.content) != batch.sha256:
        raise BatchMissing(token)
    return batch


def finish(batch: ImportBatch, result: dict[str, Any]) -> None:
    """Mark the upload imported; keep its digest and what it did, drop its content."""
    batch.status = COMMITTED
    batch.committed_at = utcnow()
    batch.content = b""
    batch.result = result


@contextmanager
def unlocked() -> Iterator[None]:
    """Run the block in a transaction that takes no write lock, then end it.

    On SQLite a writing transaction holds the database's only write lock from its first
    statement: reading and checking a kept file happens before it, the short write after.
    """
    db.session.rollback()
    declare_write(False)
    try:
        yield
    finally:
        db.session.rollback()
        declare_write(True)
