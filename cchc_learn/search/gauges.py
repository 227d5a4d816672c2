"""This host's search index on /metrics: whether it exists and how far it lags the change log."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from .. import metrics
from ..extensions import db
from . import indexer
from .models import SearchChange


def lag_changes() -> float:
    """Change-log entries this host's index has not applied yet (all of them when it has none)."""
    applied = indexer.applied_id()
    return float(
        db.session.scalar(
            select(func.count()).select_from(SearchChange).where(SearchChange.id > applied)
        ) or 0
    )


def present() -> float:
    """1 when this host has a usable index, 0 while it is missing (search says it rebuilds)."""
    return 1.0 if indexer.get_index().exists() else 0.0


def register(app: Flask) -> None:
    """Add the index gauges to /metrics."""
    metrics.register_gauge(
        app, "cchc_search_index_lag_changes",
        "Search change-log entries not yet applied to this host's index.",
        lag_changes,
    )
    metrics.register_gauge(
        app, "cchc_search_index_present",
        "1 when this host has a usable search index, 0 when it is missing.",
        present,
    )
