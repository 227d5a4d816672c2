"""Training classes written straight into the tables, with each participant's outcome kept by
`classes.outcome.refresh` (what the classes services call)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from cchc_learn.classes import outcome
from cchc_learn.classes.models import Attendance, ClassParticipant, ClassSession, TrainingClass
from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db


def session_start(day: date, hour: int = 8) -> datetime:
    """A session's start on a Vietnamese day, as aware UTC."""
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)


def make_class(app, title: str = "Lớp bồi dưỡng CCHC", *, days=(), modules=(), plans=(),
               min_percent: int = 100, participants=(), present=None, hour: int = 8,
               fmt: str = "in_person") -> dict:  # fmt: skip
    """A class with a session on each day, a roster and attendance; returns its ids.

    present maps a user id to the statuses of their sessions, in the days' order ("present",
    "late", "absent", "excused" or None for no row); absent from it: present at every session.
    """
    with app.app_context():
        declare_write()
        klass = TrainingClass(title=title, format=fmt, module_slugs=list(modules),
                              plan_slugs=list(plans), min_percent=min_percent)  # fmt: skip
        db.session.add(klass)
        db.session.flush()
        sessions = []
        for day in days:
            start = session_start(day, hour)
            sessions.append(ClassSession(class_id=klass.id, starts_at=start,
                                         ends_at=start + timedelta(hours=3)))  # fmt: skip
        db.session.add_all(sessions)
        db.session.flush()
        for user_id in participants:
            db.session.add(ClassParticipant(class_id=klass.id, user_id=user_id))
            statuses = (present or {}).get(user_id, ["present"] * len(sessions))
            for session, status in zip(sessions, statuses, strict=False):
                if status is not None:
                    db.session.add(Attendance(session_id=session.id, user_id=user_id,
                                              status=status))  # fmt: skip
        db.session.flush()
        outcome.refresh(klass)
        db.session.commit()
        return {"id": klass.id, "sessions": [s.id for s in sessions]}


def set_status(app, class_id: int, session_id: int, user_id: int, status: str) -> None:
    """Change (or add) one attendance row and refresh the class's outcome."""
    with app.app_context():
        declare_write()
        row = db.session.scalar(
            db.select(Attendance).where(Attendance.session_id == session_id,
                                        Attendance.user_id == user_id)
        )  # fmt: skip
        if row is None:
            db.session.add(Attendance(session_id=session_id, user_id=user_id, status=status))
        else:
            row.status = status
        db.session.flush()
        outcome.refresh(db.session.get(TrainingClass, class_id))
        db.session.commit()


def attended_on(app, class_id: int, user_id: int) -> date | None:
    """The participant's outcome as stored."""
    with app.app_context():
        return db.session.scalar(
            db.select(ClassParticipant.attended_on).where(ClassParticipant.class_id == class_id,
                                                          ClassParticipant.user_id == user_id)
        )  # fmt: skip
