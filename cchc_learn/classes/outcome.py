"""Whether each official on a class's roster attended it, kept on the roster row.

A participant attended the class once they were present or late at no fewer than
`ceil(min_percent × sessions / 100)` of its sessions; `attended_on` is the local date of the
session that reached that number. Every service that changes attendance, sessions or the
share calls `refresh` in its own transaction, so the reports read one column.
"""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import select

from ..clock import LOCAL_TZ
from ..extensions import db
from .models import ATTENDED, Attendance, ClassParticipant, ClassSession, TrainingClass


def sessions_needed(min_percent: int, sessions: int) -> int:
    """How many sessions attended make the class attended (0 sessions: never attended)."""
    if sessions <= 0:
        return 0
    return max(1, math.ceil(min_percent * sessions / 100))


def attended_on(needed: int, attended_days: list[date]) -> date | None:
    """The day the needed-th attended session took place (days sorted), or None."""
    if needed <= 0 or len(attended_days) < needed:
        return None
    return attended_days[needed - 1]


def refresh(klass: TrainingClass) -> int:
    """Recompute `attended_on` for every participant of the class; returns how many changed.

    Three queries whatever the roster's size; writes only the rows that change.
    """
    sessions = db.session.execute(
        select(ClassSession.id, ClassSession.starts_at)
        .where(ClassSession.class_id == klass.id)
        .order_by(ClassSession.starts_at, ClassSession.id)
    ).all()
    needed = sessions_needed(klass.min_percent, len(sessions))
    day_of = {sid: starts.astimezone(LOCAL_TZ).date() for sid, starts in sessions}
    order = {sid: i for i, (sid, _) in enumerate(sessions)}
    attended: dict[int, list[int]] = {}
    if sessions:
        for user_id, session_id in db.session.execute(
            select(Attendance.user_id, Attendance.session_id).where(
                Attendance.session_id.in_(list(day_of)), Attendance.status.in_(ATTENDED)
            )
        ):
            attended.setdefault(user_id, []).append(session_id)
    changed = 0
    for participant in db.session.scalars(
        select(ClassParticipant).where(ClassParticipant.class_id == klass.id)
    ):
        ids = sorted(attended.get(participant.user_id, ()), key=order.__getitem__)
        value = attended_on(needed, [day_of[i] for i in ids])
        if participant.attended_on != value:
            participant.attended_on = value
            changed += 1
    return changed
