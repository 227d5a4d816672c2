"""Keep this host's index in step with the database through the change log.

Every write that changes searchable data appends a SearchChange row in its own transaction.
An index remembers the id of the last change it applied (a file beside it), so every process
and every host with its own index converges by applying the changes after that id. Only one
process applies at a time (a file lock); the others leave the work to it.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select

from ..extensions import db
from .documents import IndexDelete, IndexOp
from .engine import IndexBusy, IndexUnavailable, SearchIndex
from .models import SearchChange
from .providers import providers

BATCH = 500
APPLIED_FILE = "applied-change-id"
LOCK_FILE = ".writer.lock"


def index_dir() -> Path:
    """Where this host keeps its index."""
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def get_index() -> SearchIndex:
    """The process-wide index object (it keeps its searcher open between requests)."""
    cache = current_app.extensions.setdefault("cchc_search_index", {})
    path = str(index_dir())
    if path not in cache:
        cache[path] = SearchIndex(Path(path))
    return cache[path]


def applied_id() -> int:
    """The last change this index applied (-1 when it has never been built)."""
    try:
        return int((index_dir() / APPLIED_FILE).read_text().strip())
    except (OSError, ValueError):
        return -1


def _write_applied(value: int) -> None:
    path = index_dir() / APPLIED_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(value))
    os.replace(tmp, path)


@contextmanager
def writer_lock(*, wait: bool) -> Iterator[bool]:
    """Hold this host's index-writer lock; yields False when busy and not waiting."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def latest_change_id() -> int:
    """The id of the newest change in the log (0 when empty)."""
    return db.session.scalar(select(func.max(SearchChange.id))) or 0


def _ops_for(changes: list[tuple[str, int]]) -> list[IndexOp]:
    by_kind: dict[str, set[int]] = {}
    for kind, object_id in changes:
        by_kind.setdefault(kind, set()).add(object_id)
    for kind, ids in list(by_kind.items()):
        provider = providers().get(kind)
        if provider is not None and provider.expand is not None:
            for other_kind, other_id in provider.expand(sorted(ids)):
                by_kind.setdefault(other_kind, set()).add(other_id)
    ops: list[IndexOp] = []
    for kind, ids in by_kind.items():
        provider = providers().get(kind)
        if provider is None or provider.expand is not None:
            continue
        loaded = provider.load(sorted(ids))
        for object_id in sorted(ids):
            doc = loaded.get(object_id)
            ops.append(doc if doc is not None else IndexDelete(f"{kind}:{object_id}"))
    return ops


def catch_up(*, wait: bool = False) -> int:
    """Apply pending changes to this host's index; return how many were applied."""
    index = get_index()
    if not index.exists():
        return 0
    done = 0
    with writer_lock(wait=wait) as locked:
        if not locked:
            return 0
        after = applied_id()
        while True:
            rows = db.session.execute(
                select(SearchChange.id, SearchChange.kind, SearchChange.object_id)
                .where(SearchChange.id > after).order_by(SearchChange.id).limit(BATCH)
            ).all()
            if not rows:
                break
            index.apply(_ops_for([(kind, oid) for _, kind, oid in rows]))
            after = rows[-1][0]
            _write_applied(after)
            done += len(rows)
    db.session.rollback()  # end the read transaction this used
    return done


def pending() -> bool:
    """Whether the log holds changes this index has not applied."""
    return latest_change_id() > applied_id()


def rebuild() -> int:
    """Build a fresh index from the database and swap it in; return the document count."""
    with writer_lock(wait=True):
        start = latest_change_id()
        ops: list[IndexOp] = []
        for provider in providers().values():
            ids = list(provider.all_ids())
            for i in range(0, len(ids), BATCH):
                chunk = ids[i:i + BATCH]
                loaded = provider.load(chunk)
                ops.extend(doc for doc in (loaded.get(x) for x in chunk) if doc is not None)
        get_index().rebuild(ops)
        _write_applied(start)
    db.session.rollback()
    # Changes committed while building are applied now (upserts are idempotent).
    catch_up(wait=True)
    return len(ops)


def rebuild_in_background(app: Flask) -> None:
    """Start a rebuild in a thread unless one is running in this process."""
    state = app.extensions.setdefault("cchc_search_rebuild", {"running": False})
    if state["running"]:
        return
    state["running"] = True

    def run() -> None:
        try:
            with app.app_context():
                rebuild()
        except Exception:  # noqa: BLE001 - logged; the next search tries again
            app.logger.exception("search index rebuild failed")
        finally:
            state["running"] = False

    threading.Thread(target=run, name="search-rebuild", daemon=True).start()


__all__ = ["IndexBusy", "IndexUnavailable", "catch_up", "rebuild", "pending", "get_index"]
