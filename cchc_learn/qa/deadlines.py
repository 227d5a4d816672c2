"""A question's clock in working days: started when asked, stopped in needs_info, restarted.

The clock starts when the question is asked (after 16:30 or on a day off: at the start of the
next working day) and `due_at` is stored then. Asking for information stops it; the asker's
reply, or a follow-up after an answer, starts a fresh period with the full time allowed, and
a new `due_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..workdays.calendar import clock_start, due_after, working_days_between
from .models import Question
from .settings import setting
from .states import WAITING


def start(question: Question, at: datetime) -> None:
    """Start (or restart) the question's clock at `at`, storing its new due time."""
    begins = clock_start(at)
    question.clock_started_at = begins
    question.due_at = due_after(begins, int(setting("QA_ANSWER_DAYS")))


def stop(question: Question) -> None:
    """Stop the clock (the question waits for its asker)."""
    question.clock_started_at = None
    question.due_at = None


@dataclass(frozen=True)
class Timing:
    """Where a question stands against its deadline, in working days."""

    age: float
    """Working days since it was asked."""
    allowed: float
    """Working days the running period allows (0 when the clock is stopped)."""
    used: float
    """Working days of the running period used so far."""
    left: float
    """Working days left until due (negative: overdue by that much)."""
    status: str
    """"ok", "near" (past the reminder share), "overdue" or "stopped"."""

    @property
    def share(self) -> float:
        """The share of the allowed time used (0 when stopped)."""
        return self.used / self.allowed if self.allowed else 0.0


def timing(question: Question, now: datetime) -> Timing:
    """The question's timing at `now`."""
    age = _between(clock_start(question.asked_at), now)
    if question.state not in WAITING or question.due_at is None:
        return Timing(age=age, allowed=0.0, used=0.0, left=0.0, status="stopped")
    begins = question.clock_started_at or clock_start(question.asked_at)
    allowed = _between(begins, question.due_at)
    used = _between(begins, now)
    if now >= question.due_at:
        left = -_between(question.due_at, now)
        status = "overdue"
    else:
        left = _between(now, question.due_at)
        near = allowed and used / allowed >= float(setting("QA_NEAR_DUE_SHARE"))
        status = "near" if near else "ok"
    return Timing(age=age, allowed=allowed, used=used, left=left, status=status)


def _between(start: datetime, end: datetime) -> float:
    return max(working_days_between(start, end), 0.0) if end > start else 0.0


@dataclass(frozen=True)
class FirstAnswer:
    """How the first answer stood against the clock (kept on the question for the report)."""

    on_time: bool
    """Before the due time of the clock period it ended (or, given while the clock was stopped
    for the asker, the period stopped was not yet overdue when it stopped)."""
    workdays: float
    """Working days the clock ran from the question's arrival to the answer."""


def first_answer(
    question: Question, events: Iterable[tuple[str, datetime, dict[str, Any] | None]],
    at: datetime,
) -> FirstAnswer:
    """Measure a first answer given at `at` from the question's events (action, at, detail).

    The clock's periods are rebuilt as `start` and `stop` made them: from the arrival, stopped
    by each request for information, started again by the asker's reply.
    """
    begins, running, used = clock_start(question.asked_at), True, 0.0
    stopped_at: datetime | None = None
    stopped_due: datetime | None = None
    for action, when, detail in events:
        if action == "request_info" and running:
            used += _between(begins, when)
            running, stopped_at = False, when
            due = (detail or {}).get("due_at")
            stopped_due = datetime.fromisoformat(due) if isinstance(due, str) else None
        elif action == "info_reply" and not running:
            begins, running = clock_start(when), True
    if running:
        used += _between(question.clock_started_at or begins, at)
        on_time = question.due_at is None or at <= question.due_at
    else:
        on_time = stopped_due is None or stopped_at is None or stopped_at <= stopped_due
    return FirstAnswer(on_time=on_time, workdays=round(used, 4))
