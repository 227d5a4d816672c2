"""What a worker keeps between requests until the change log moves.

Every save of something indexed appends to the search change log (`models.log_change`), so the
newest id of that log is a version of everything indexed: pages built from such things can be
kept by a worker and shown again while it stays the same. One indexed `max(id)` per request
tells. Each worker keeps its own; nothing is shared between processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from .models import SearchChange

T = TypeVar("T")

# Built once and run as a plain statement: pages ask it on every view.
_NEWEST = select(func.max(SearchChange.id))


def change_version() -> int:
    """The newest id of the change log (0 when empty)."""
    return db.session.connection().execute(_NEWEST).scalar() or 0


class Kept(Generic[T]):
    """Up to `size` values by key, each valid for the change version it was built at."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.values: OrderedDict[Hashable, tuple[int, T]] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept for key at the current change version, built (and kept) if none."""
        version = change_version()
        with self.lock:
            kept = self.values.get(key)
            if kept is not None and kept[0] == version:
                self.values.move_to_end(key)
                return kept[1]
        value = build()
        with self.lock:
            self.values[key] = (version, value)
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value


def kept(name: str, size: int = 256) -> Kept:
    """The application's store of kept values called name (made on first use)."""
    stores = current_app.extensions.setdefault("cchc_kept", {})
    store = stores.get(name)
    if store is None:
        store = stores.setdefault(name, Kept(size))
    return store
