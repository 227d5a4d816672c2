"""The e-mail outbox's backlog on /metrics, read from the database at each scrape."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from .. import metrics
from ..clock import utcnow
from ..extensions import db
from .models import OutboxMail
from .sending import MAX_ATTEMPTS


def outbox_messages() -> dict[str, float]:
    """Unsent e-mails: still being tried (waiting) and given up after MAX_ATTEMPTS (failed)."""
    given_up = OutboxMail.attempts >= MAX_ATTEMPTS
    rows = db.session.execute(
        select(given_up, func.count()).where(OutboxMail.sent_at.is_(None)).group_by(given_up)
    ).all()
    counts = {"waiting": 0.0, "failed": 0.0}
    for failed, number in rows:
        counts["failed" if failed else "waiting"] += number
    return counts


def oldest_waiting_seconds() -> float:
    """Age of the oldest e-mail still waiting to be sent (0 when none waits)."""
    oldest = db.session.scalar(
        select(func.min(OutboxMail.created_at)).where(
            OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS
        )
    )
    return max((utcnow() - oldest).total_seconds(), 0.0) if oldest else 0.0


def register(app: Flask) -> None:
    """Add the outbox gauges to /metrics."""
    metrics.register_gauge(
        app, "cchc_mail_outbox_messages",
        "Unsent e-mails in the outbox: waiting (still tried) or failed (given up).",
        outbox_messages, label="state",
    )
    metrics.register_gauge(
        app, "cchc_mail_outbox_oldest_waiting_seconds",
        "Age in seconds of the oldest e-mail waiting to be sent (0 when none).",
        oldest_waiting_seconds,
    )
