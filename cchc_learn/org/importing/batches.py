"""Keep a previewed upload server-side until its uploader confirms it, exactly once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ...auth.models import User
from ...clock import utcnow
from ...database import begin_writing
from ...extensions import db
from .models import COMMITTED, ImportBatch
from .results import (
    BatchAlreadyCommitted,
    BatchMissing,
    ImportPlan,
    ImportRejected,
    ImportResult,
)
from .service import prepare_unlocked, preview, write

DEFAULT_TTL = timedelta(hours=2)


def batch_ttl() -> timedelta:
    """How long a preview waits for confirmation (IMPORT_BATCH_TTL: seconds or a timedelta)."""
    value = current_app.config.get("IMPORT_BATCH_TTL", DEFAULT_TTL)
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def purge_expired() -> int:
    """Delete uploads older than the time limit, confirmed or not; return how many."""
    cutoff = utcnow() - batch_ttl()
    outcome = db.session.execute(delete(ImportBatch).where(ImportBatch.created_at < cutoff))
    return outcome.rowcount or 0


def stage(
    kind: str, filename: str, data: bytes, uploader: User
) -> tuple[ImportPlan, ImportBatch | None]:
    """Preview a file and, when it can be imported and adds something, keep it for confirmation."""
    plan = preview(kind, filename, data)
    begin_writing()
    purge_expired()
    batch = None
    if plan.ok and plan.to_create:
        batch = ImportBatch(
            token=secrets.token_urlsafe(32),
            kind=kind,
            filename=filename[:255],
            content=data,
            sha256=plan.sha256,
            size=len(data),
            uploader_id=uploader.id,
        )
        db.session.add(batch)
    db.session.commit()
    return plan, batch


def confirm(token: str, uploader: User) -> tuple[ImportResult, ImportBatch]:
    """Import a kept upload in one transaction; a second confirmation raises instead of acting.

    The file is checked and its accounts hashed before the writing transaction starts, so the
    write lock (all of SQLite) is held only for the writes themselves.
    """
    batch = _usable(find(token, uploader), token)
    try:
        prepared = prepare_unlocked(batch.kind, batch.filename, batch.content)
    except ImportRejected:
        # A second confirmation that ran into the first one's new accounts while hashing:
        # the file was imported once, which is what it is told.
        done = find(token, uploader)
        if done is not None and done.status == COMMITTED:
            raise BatchAlreadyCommitted(done) from None
        raise
    batch = _usable(
        db.session.scalar(
            select(ImportBatch)
            .where(ImportBatch.token == token, ImportBatch.uploader_id == uploader.id)
            .with_for_update()  # a concurrent second confirmation waits here, then sees COMMITTED
        ),
        token,
    )
    result = write(prepared, actor=uploader, source="web", batch_id=batch.id)
    batch.status = COMMITTED
    batch.committed_at = utcnow()
    batch.content = b""  # the file has done its job; keep only its digest
    batch.result = {"created": len(result.created), "unchanged": result.unchanged}
    db.session.commit()
    return result, batch


def _usable(batch: ImportBatch | None, token: str) -> ImportBatch:
    """The batch if it can still be confirmed; otherwise roll back and say why not."""
    if batch is None or batch.created_at < utcnow() - batch_ttl():
        db.session.rollback()
        raise BatchMissing(token)
    if batch.status == COMMITTED:
        db.session.rollback()
        raise BatchAlreadyCommitted(batch)
    if hashlib.sha256(batch.content).hexdigest() != batch.sha256:
        db.session.rollback()
        raise BatchMissing(token)
    return batch


def find(token: str, uploader: User) -> ImportBatch | None:
    """The uploader's kept upload with this token, if it has not expired."""
    batch = db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.token == token, ImportBatch.uploader_id == uploader.id
        )
    )
    if batch is None or batch.created_at < utcnow() - batch_ttl():
        return None
    return batch
