"""What the classes pages and the home page read: the list, a class, rosters, the trainers'
panel and agenda item.

Each function reads with a fixed number of queries whatever the number of classes or people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from .. import agenda
from ..auth.models import User
from ..clock import LOCAL_TZ, local_today, utcnow
from ..extensions import db
from ..org import service as org_service
from ..org.models import Unit
from ..textnorm import fold
from . import outcome
from .links import plans_by_slug
from .models import ATTENDED, FORMATS, Attendance, ClassParticipant, ClassSession, TrainingClass
from .service import attendance_of, module_choices, sessions_between

UPCOMING, PAST = "upcoming", "past"
PER_PAGE = 30
AGENDA_DAYS = 30
"""Sessions held without attendance are listed for this many days after they start."""


@dataclass
class ClassRow:
    """One class in the list, with its figures."""

    klass: TrainingClass
    sessions: int
    first: datetime | None
    last: datetime | None
    roster: int
    attended: int

    @property
    def format_label(self) -> str:
        return FORMATS.get(self.klass.format, self.klass.format)


def _figures() -> tuple[Select, Select]:
    sessions = (
        select(
            ClassSession.class_id.label("class_id"),
            func.count(ClassSession.id).label("n"),
            func.min(ClassSession.starts_at).label("first"),
            func.max(ClassSession.ends_at).label("last"),
        )
        .group_by(ClassSession.class_id)
        .subquery()
    )
    roster = (
        select(
            ClassParticipant.class_id.label("class_id"),
            func.count(ClassParticipant.id).label("n"),
            func.count(ClassParticipant.attended_on).label("attended"),
        )
        .group_by(ClassParticipant.class_id)
        .subquery()
    )
    return sessions, roster


def list_classes(text: str = "", when: str = UPCOMING, page: int = 1,
                 per_page: int = PER_PAGE) -> tuple[list[ClassRow], int]:  # fmt: skip
    """One page of classes: upcoming (a session not yet over, or none yet) or past."""
    sessions, roster = _figures()
    now = utcnow()
    query = (
        select(TrainingClass, sessions.c.n, sessions.c.first, sessions.c.last, roster.c.n,
               roster.c.attended)  # fmt: skip
        .outerjoin(sessions, sessions.c.class_id == TrainingClass.id)
        .outerjoin(roster, roster.c.class_id == TrainingClass.id)
    )
    words = fold((text or "")[:100]).split()
    if words:
        # Titles are folded here, not in SQL (SQLite's lower() folds ASCII only): "mot cua"
        # and "MỘT CỬA" find "một cửa"; every word typed must appear. One narrow query: a
        # province holds a few thousand classes.
        titles = db.session.execute(select(TrainingClass.id, TrainingClass.title)).all()
        found = [i for i, title in titles if all(w in fold(title) for w in words)]
        query = query.where(TrainingClass.id.in_(found))
    if when == PAST:
        query = query.where(sessions.c.last < now).order_by(
            sessions.c.last.desc(), TrainingClass.id.desc()
        )
    else:
        query = query.where(or_(sessions.c.last.is_(None), sessions.c.last >= now)).order_by(
            sessions.c.first.is_(None), sessions.c.first, TrainingClass.id
        )
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return [
        ClassRow(k, n or 0, first, last, r or 0, a or 0) for k, n, first, last, r, a in rows
    ], total or 0


@dataclass
class SessionRow:
    """A session of a class with how many were recorded and attended."""

    session: ClassSession
    recorded: int
    attended: int

    @property
    def held(self) -> bool:
        return self.session.starts_at <= utcnow()

    @property
    def in_progress(self) -> bool:
        return self.session.starts_at <= utcnow() <= self.session.ends_at


@dataclass
class Overview:
    """A class page: its sessions, roster size, outcome rule, modules and plans."""

    klass: TrainingClass
    sessions: list[SessionRow]
    roster: int
    attended: int
    needed: int
    modules: list[tuple[str, str]]
    plans: list[tuple[str, str]]


def overview(klass: TrainingClass) -> Overview:
    """Everything the class page shows."""
    counts = {
        sid: (recorded, attended or 0)
        for sid, recorded, attended in db.session.execute(
            select(
                Attendance.session_id,
                func.count(Attendance.id),
                func.sum(case((Attendance.status.in_(ATTENDED), 1), else_=0)),
            )
            .join(ClassParticipant, (ClassParticipant.user_id == Attendance.user_id)
                  & (ClassParticipant.class_id == klass.id))  # fmt: skip
            .where(Attendance.session_id.in_([s.id for s in klass.sessions]))
            .group_by(Attendance.session_id)
        )
    }
    roster, attended = db.session.execute(
        select(func.count(ClassParticipant.id), func.count(ClassParticipant.attended_on)).where(
            ClassParticipant.class_id == klass.id
        )
    ).one()
    titles = dict(module_choices(list(klass.module_slugs or [])))
    live = plans_by_slug()
    return Overview(
        klass=klass,
        sessions=[SessionRow(s, *counts.get(s.id, (0, 0))) for s in klass.sessions],
        roster=roster,
        attended=attended,
        needed=outcome.sessions_needed(klass.min_percent, len(klass.sessions)),
        modules=[(m, titles.get(m, m)) for m in klass.module_slugs or []],
        plans=[(p, live[p].title if p in live else p) for p in klass.plan_slugs or []],
    )


@dataclass
class PersonRow:
    """An official on a roster, with their unit today and (for a session) their attendance."""

    participant: ClassParticipant
    user: User
    unit: Unit | None
    attendance: Attendance | None = None


def roster(klass: TrainingClass, session: ClassSession | None = None) -> list[PersonRow]:
    """The roster by name, with units as of today and the attendance at session if given."""
    participants = db.session.scalars(
        select(ClassParticipant)
        .join(User, User.id == ClassParticipant.user_id)
        .options(selectinload(ClassParticipant.user))
        .where(ClassParticipant.class_id == klass.id)
        .order_by(User.full_name, User.username)
    ).all()
    units = org_service.current_units([p.user_id for p in participants])
    marks = {a.user_id: a for a in attendance_of([session.id])} if session else {}
    return [
        PersonRow(p, p.user, units.get(p.user_id), marks.get(p.user_id)) for p in participants
    ]


def unit_choices() -> list[tuple[str, str]]:
    """Today's units (id as text), depth first, indented, for the "whole unit" box."""
    return [
        (str(node.unit.id), f"{'— ' * node.depth}{node.unit.name} ({node.unit.code})")
        for node in org_service.flatten(org_service.tree(local_today()))
    ]


# --- Home page: the trainers' panel and agenda ------------------------------------------------


@dataclass
class PanelSession:
    session: ClassSession
    roster: int
    recorded: int


def _with_counts(sessions: list[ClassSession]) -> list[PanelSession]:
    class_ids = list({s.class_id for s in sessions})
    rosters = dict(
        db.session.execute(
            select(ClassParticipant.class_id, func.count(ClassParticipant.id))
            .where(ClassParticipant.class_id.in_(class_ids))
            .group_by(ClassParticipant.class_id)
        ).all()
    ) if class_ids else {}  # fmt: skip
    recorded = dict(
        db.session.execute(
            select(Attendance.session_id, func.count(Attendance.id))
            .where(Attendance.session_id.in_([s.id for s in sessions]))
            .group_by(Attendance.session_id)
        ).all()
    ) if sessions else {}  # fmt: skip
    return [PanelSession(s, rosters.get(s.class_id, 0), recorded.get(s.id, 0)) for s in sessions]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), LOCAL_TZ)


def trainer_panel(_user) -> dict | None:
    """Today's sessions (with how much attendance is recorded) and the next week's."""
    today = local_today()
    start = _local_midnight(today)
    todays = _with_counts(sessions_between(start, start + timedelta(days=1)))
    upcoming = sessions_between(start + timedelta(days=1), start + timedelta(days=8))[:10]
    return {"today": todays, "upcoming": upcoming, "now": utcnow()}


def _unrecorded() -> Select:
    """Sessions of the last `AGENDA_DAYS` days that started, with a roster but no attendance."""
    now = utcnow()
    return (
        select(ClassSession)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .where(
            TrainingClass.past.is_(False),
            ClassSession.starts_at <= now,
            ClassSession.starts_at >= now - timedelta(days=AGENDA_DAYS),
            ~select(Attendance.id).where(Attendance.session_id == ClassSession.id).exists(),
            select(ClassParticipant.id)
            .where(ClassParticipant.class_id == ClassSession.class_id)
            .exists(),
        )
    )


def unrecorded_sessions() -> list[ClassSession]:
    """The sessions held without attendance recorded, the most recent first."""
    return list(
        db.session.scalars(
            _unrecorded()
            .options(selectinload(ClassSession.training_class))
            .order_by(ClassSession.starts_at.desc(), ClassSession.id.desc())
        )
    )


def todo(user) -> list[agenda.Item]:
    """The trainers' agenda item: sessions held whose attendance is not recorded yet."""
    if not user.has_role("trainer"):
        return []
    count = db.session.scalar(select(func.count()).select_from(_unrecorded().subquery())) or 0
    if not count:
        return []
    return [agenda.Item("Buổi học đã diễn ra chưa điểm danh", count,
                        url_for("classes.unrecorded"))]  # fmt: skip
