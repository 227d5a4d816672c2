"""Quiz attempts still open on /metrics, and those whose time is up but nobody closed yet."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from .. import metrics
from ..clock import utcnow
from ..extensions import db
from .attempts.lifecycle import GRACE
from .models import OPEN, Attempt


def open_attempts() -> float:
    """Attempts an official may still answer (or that wait to be closed)."""
    return float(
        db.session.scalar(select(func.count()).where(Attempt.status == OPEN)) or 0
    )


def overdue_attempts() -> float:
    """Open attempts past their deadline and its grace: `cchc-learn tick` closes them."""
    return float(
        db.session.scalar(
            select(func.count()).where(
                Attempt.status == OPEN, Attempt.deadline_at < utcnow() - GRACE
            )
        ) or 0
    )


def register(app: Flask) -> None:
    """Add the attempt gauges to /metrics."""
    metrics.register_gauge(
        app, "cchc_quiz_attempts_open", "Quiz attempts open now.", open_attempts
    )
    metrics.register_gauge(
        app, "cchc_quiz_attempts_overdue",
        "Open quiz attempts past deadline and grace, waiting for `cchc-learn tick` to close them.",
        overdue_attempts,
    )
