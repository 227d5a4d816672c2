"""The xAPI outbox's backlog on /metrics, read from the database at each scrape."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from .. import metrics
from ..clock import utcnow
from ..extensions import db
from .models import XapiStatement


def outbox_statements() -> dict[str, float]:
    """Statements not sent: waiting (tried until the store takes them) or rejected by it."""
    x = XapiStatement
    rejected = x.rejected_at.is_not(None)
    rows = db.session.execute(
        select(rejected, func.count()).where(x.sent_at.is_(None)).group_by(rejected)
    ).all()
    counts = {"waiting": 0.0, "rejected": 0.0}
    for was_rejected, number in rows:
        counts["rejected" if was_rejected else "waiting"] += number
    return counts


def oldest_waiting_seconds() -> float:
    """Age of the oldest statement waiting for the store (0 when none waits)."""
    x = XapiStatement
    oldest = db.session.scalar(
        select(func.min(x.created_at)).where(x.sent_at.is_(None), x.rejected_at.is_(None))
    )
    return max((utcnow() - oldest).total_seconds(), 0.0) if oldest else 0.0


def register(app: Flask) -> None:
    """Add the outbox gauges to /metrics."""
    metrics.register_gauge(
        app, "cchc_xapi_outbox_statements",
        "xAPI statements not sent: waiting (retried) or rejected by the record store.",
        outbox_statements, label="state",
    )
    metrics.register_gauge(
        app, "cchc_xapi_outbox_oldest_waiting_seconds",
        "Age in seconds of the oldest xAPI statement waiting to be sent (0 when none).",
        oldest_waiting_seconds,
    )
