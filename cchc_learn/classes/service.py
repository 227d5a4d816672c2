"""Classes: create, edit and delete them and their sessions; an official's own classes (/me).

Every function of the package that changes data is one unit of work
(`database.transactional`), writes an audit entry, and begins by locking the class's row
(`lock_class`): two trainers saving the same class, or fifty officials checking in at once,
take turns, so each `outcome.refresh` reads what the previous one wrote. Bad input raises
`ClassError` with a Vietnamese message naming the field, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from ..audit.service import record
from ..auth.models import User
from ..clock import LOCAL_TZ, utcnow
from ..database import transactional
from ..extensions import db
from ..lessons.models import Module
from ..timefmt import vn_date, vn_datetime
from . import outcome
from .links import plans_by_slug
from .models import (
    ATTENDED,
    BLENDED,
    FORMATS,
    IN_PERSON,
    ONLINE,
    STATUSES,
    Attendance,
    ClassParticipant,
    ClassSession,
    TrainingClass,
)

CHECKIN_OPENS_BEFORE = timedelta(minutes=15)
"""Self check-in opens this long before a session starts and closes at its end."""
FIRST_YEAR, LAST_YEAR = 2000, 2100
"""Sessions are dated within these years (a typo such as 0202 is refused, not stored)."""


class ClassError(ValueError):
    """A change to a class that cannot be made; the message is for users, field names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ClassData:
    """What the class form sends."""

    title: str
    format: str = IN_PERSON
    place: str = ""
    meeting_url: str = ""
    trainers: str = ""
    description: str = ""
    module_slugs: list[str] = field(default_factory=list)
    plan_slugs: list[str] = field(default_factory=list)
    min_percent: int = 100


@dataclass
class SessionData:
    """What the session form sends: a local day and two local times."""

    day: date
    start: time
    end: time
    topic: str = ""

    def span(self) -> tuple[datetime, datetime]:
        """The start and end as aware UTC datetimes."""
        return (
            datetime.combine(self.day, self.start, LOCAL_TZ).astimezone(UTC),
            datetime.combine(self.day, self.end, LOCAL_TZ).astimezone(UTC),
        )


# --- Reading one thing ------------------------------------------------------------------------


def get_class(class_id: int) -> TrainingClass | None:
    """A class by id."""
    return db.session.get(TrainingClass, class_id)


def get_session(klass: TrainingClass, session_id: int) -> ClassSession | None:
    """A session of this class by id (None for another class's session)."""
    found = db.session.get(ClassSession, session_id)
    return found if found is not None and found.class_id == klass.id else None


def module_choices(keep: list[str] | None = None) -> list[tuple[str, str]]:
    """Published lesson modules as (slug, title); slugs in keep stay even if unpublished since."""
    rows = db.session.execute(
        select(Module.slug, Module.title)
        .where(Module.published.is_(True), Module.archived.is_(False))
        .order_by(Module.order, Module.slug)
    ).all()
    choices = [(slug, title) for slug, title in rows]
    known = {slug for slug, _ in choices}
    choices += [(s, f"{s} (không còn xuất bản)") for s in keep or () if s not in known]
    return choices


def lock_class(klass: TrainingClass) -> TrainingClass:
    """Lock the class's row for the rest of the transaction and reload it."""
    locked = db.session.execute(
        select(TrainingClass)
        .where(TrainingClass.id == klass.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if locked is None:
        raise ClassError("Lớp này không còn (có thể vừa bị xóa).")
    return locked


# --- Classes ----------------------------------------------------------------------------------


def _check_class(data: ClassData, klass: TrainingClass | None) -> ClassData:
    title = " ".join((data.title or "").split())
    if not title:
        raise ClassError("Tên lớp: hãy nhập tên lớp.", "title")
    if len(title) > 200:
        raise ClassError("Tên lớp: tối đa 200 ký tự.", "title")
    if data.format not in FORMATS:
        raise ClassError("Hình thức: chọn trực tiếp, trực tuyến hoặc kết hợp.", "format")
    place, url = (data.place or "").strip(), (data.meeting_url or "").strip()
    if data.format in (IN_PERSON, BLENDED) and not place:
        raise ClassError("Địa điểm: lớp học trực tiếp hoặc kết hợp cần địa điểm.", "place")
    if data.format in (ONLINE, BLENDED) and not url:
        raise ClassError("Đường dẫn phòng họp: lớp trực tuyến hoặc kết hợp cần đường dẫn.",
                         "meeting_url")  # fmt: skip
    if url and not url.lower().startswith(("https://", "http://")):
        raise ClassError("Đường dẫn phòng họp: phải bắt đầu bằng https:// hoặc http://.",
                         "meeting_url")  # fmt: skip
    if any(ch.isspace() for ch in url):
        raise ClassError("Đường dẫn phòng họp: không được chứa khoảng trắng.", "meeting_url")
    for value, limit, label, name in (
        (place, 300, "Địa điểm", "place"),
        (url, 500, "Đường dẫn phòng họp", "meeting_url"),
        ((data.trainers or "").strip(), 300, "Giảng viên", "trainers"),
        (data.description or "", 5000, "Mô tả", "description"),
    ):
        if len(value) > limit:
            raise ClassError(f"{label}: tối đa {limit:,} ký tự.".replace(",", "."), name)
    if not isinstance(data.min_percent, int) or not 1 <= data.min_percent <= 100:
        raise ClassError("Điều kiện hoàn thành: tỷ lệ buổi phải từ 1 đến 100 %.", "min_percent")
    kept = list(klass.module_slugs or []) if klass else []
    allowed = {slug for slug, _ in module_choices(kept)}
    modules = list(dict.fromkeys(data.module_slugs or []))
    unknown = [m for m in modules if m not in allowed]
    if unknown:
        raise ClassError(f"Chuyên đề: không có chuyên đề đã xuất bản mã {unknown[0][:80]}.",
                         "module_slugs")  # fmt: skip
    plans = list(dict.fromkeys(data.plan_slugs or []))
    live = plans_by_slug()
    kept_plans = set(klass.plan_slugs or []) if klass else set()
    missing = [p for p in plans if p not in live and p not in kept_plans]
    if missing:
        raise ClassError(f"Kế hoạch: không có kế hoạch mã {missing[0][:100]}.", "plan_slugs")
    return ClassData(title, data.format, place, url, (data.trainers or "").strip(),
                     data.description or "", modules, plans, data.min_percent)  # fmt: skip


def _check_sessions_in_plans(sessions: list[tuple[datetime, datetime]], plan_slugs: list[str],
                             field_name: str) -> None:  # fmt: skip
    live = plans_by_slug()
    for slug in plan_slugs:
        plan = live.get(slug)
        if plan is None:
            continue
        for starts, _ends in sessions:
            day = starts.astimezone(LOCAL_TZ).date()
            if not plan.starts <= day <= plan.ends:
                label = "Ngày học" if field_name == "day" else "Kế hoạch"
                raise ClassError(
                    f"{label}: buổi học ngày {vn_date(day)} nằm ngoài thời gian của kế hoạch "
                    f"«{plan.title}» ({vn_date(plan.starts)} – {vn_date(plan.ends)}).",
                    field_name,
                )


def _snapshot(klass: TrainingClass) -> dict:
    return {
        "title": klass.title, "format": klass.format, "place": klass.place,
        "meeting_url": klass.meeting_url, "trainers": klass.trainers,
        "modules": list(klass.module_slugs or []), "plans": list(klass.plan_slugs or []),
        "min_percent": klass.min_percent,
    }  # fmt: skip


@transactional
def save_class(klass: TrainingClass | None, data: ClassData, actor: User) -> TrainingClass:
    """Create a class, or change one (its outcomes follow a new attendance rule at once)."""
    if klass is not None:
        klass = lock_class(klass)
    clean = _check_class(data, klass)
    if klass is not None:
        spans = [(s.starts_at, s.ends_at) for s in klass.sessions]
        _check_sessions_in_plans(spans, clean.plan_slugs, "plan_slugs")
    before = _snapshot(klass) if klass is not None else None
    if klass is None:
        klass = TrainingClass(created_by_id=actor.id)
        db.session.add(klass)
    klass.title, klass.format, klass.place = clean.title, clean.format, clean.place
    klass.meeting_url, klass.trainers = clean.meeting_url, clean.trainers
    klass.description = clean.description
    klass.module_slugs, klass.plan_slugs = clean.module_slugs, clean.plan_slugs
    klass.min_percent = clean.min_percent
    klass.updated_at = utcnow()
    db.session.flush()
    changed = outcome.refresh(klass) if before is not None else 0
    if before is None:
        record(actor, "class.create", "training_class", klass.id, f"Tạo lớp «{klass.title}»",
               after=_snapshot(klass))  # fmt: skip
    else:
        record(actor, "class.update", "training_class", klass.id, f"Sửa lớp «{klass.title}»"
               + (f" ({changed} học viên đổi kết quả)" if changed else ""),
               before=before, after=_snapshot(klass))  # fmt: skip
    return klass


@transactional
def delete_class(klass: TrainingClass, actor: User) -> None:
    """Delete a class with its sessions, roster and attendance."""
    klass = lock_class(klass)
    record(actor, "class.delete", "training_class", klass.id, f"Xóa lớp «{klass.title}»",
           before=_snapshot(klass))  # fmt: skip
    db.session.delete(klass)


# --- Sessions ---------------------------------------------------------------------------------


def _check_session(klass: TrainingClass, data: SessionData,
                   current: ClassSession | None) -> tuple[datetime, datetime, str]:  # fmt: skip
    if not FIRST_YEAR <= data.day.year <= LAST_YEAR:
        raise ClassError(f"Ngày học: năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", "day")
    if data.end <= data.start:
        raise ClassError(
            f"Giờ kết thúc: phải sau giờ bắt đầu ({data.start.strftime('%H:%M')}).", "end"
        )
    topic = " ".join((data.topic or "").split())
    if len(topic) > 200:
        raise ClassError("Nội dung buổi học: tối đa 200 ký tự.", "topic")
    starts, ends = data.span()
    for other in klass.sessions:
        if current is not None and other.id == current.id:
            continue
        if other.starts_at < ends and other.ends_at > starts:
            local_start = other.starts_at.astimezone(LOCAL_TZ)
            local_end = other.ends_at.astimezone(LOCAL_TZ)
            raise ClassError(
                f"Giờ bắt đầu: trùng với buổi {local_start:%H:%M}–{local_end:%H:%M} ngày "
                f"{vn_date(local_start.date())} của lớp này.",
                "start",
            )
    _check_sessions_in_plans([(starts, ends)], klass.plan_slugs or [], "day")
    if current is not None and starts > utcnow() and _has_attendance(current):
        raise ClassError(
            "Ngày học: buổi này đã có điểm danh, không thể dời sang thời điểm chưa diễn ra.", "day"
        )
    return starts, ends, topic


def _has_attendance(session: ClassSession) -> bool:
    return db.session.scalar(
        select(Attendance.id).where(Attendance.session_id == session.id).limit(1)
    ) is not None


@transactional
def save_session(klass: TrainingClass, session: ClassSession | None, data: SessionData,
                 actor: User) -> ClassSession:  # fmt: skip
    """Add a session to a class or change one; refuses overlaps and days outside its plans."""
    klass = lock_class(klass)
    starts, ends, topic = _check_session(klass, data, session)
    before = None
    if session is None:
        session = ClassSession(class_id=klass.id)
        db.session.add(session)
    else:
        before = {"starts_at": vn_datetime(session.starts_at),
                  "ends_at": vn_datetime(session.ends_at), "topic": session.topic}  # fmt: skip
    session.starts_at, session.ends_at, session.topic = starts, ends, topic
    db.session.flush()
    db.session.expire(klass, ["sessions"])
    outcome.refresh(klass)
    after = {"starts_at": vn_datetime(starts), "ends_at": vn_datetime(ends), "topic": topic}
    what = "Thêm" if before is None else "Sửa"
    record(actor, "class.session.save", "class_session", session.id,
           f"{what} buổi {vn_datetime(starts)} của lớp «{klass.title}»",
           before=before, after=after)  # fmt: skip
    return session


@transactional
def delete_session(klass: TrainingClass, session: ClassSession, actor: User) -> None:
    """Delete a session and its attendance; outcomes are recomputed."""
    klass = lock_class(klass)
    record(actor, "class.session.delete", "class_session", session.id,
           f"Xóa buổi {vn_datetime(session.starts_at)} của lớp «{klass.title}»")  # fmt: skip
    db.session.delete(session)
    db.session.flush()
    db.session.expire(klass, ["sessions"])
    outcome.refresh(klass)


def attendance_of(session_ids: list[int], user_id: int | None = None) -> list[Attendance]:
    """Attendance rows of these sessions (of one official when user_id is given)."""
    if not session_ids:
        return []
    query = select(Attendance).where(Attendance.session_id.in_(session_ids))
    if user_id is not None:
        query = query.where(Attendance.user_id == user_id)
    return list(db.session.scalars(query))


def sessions_between(start: datetime, end: datetime) -> list[ClassSession]:
    """Sessions of live classes that start within [start, end), earliest first."""
    return list(
        db.session.scalars(
            select(ClassSession)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .options(selectinload(ClassSession.training_class))
            .where(
                and_(ClassSession.starts_at >= start, ClassSession.starts_at < end),
                TrainingClass.past.is_(False),
            )
            .order_by(ClassSession.starts_at, ClassSession.id)
        )
    )


# --- An official's own classes ----------------------------------------------------------------


@dataclass
class MySession:
    session: ClassSession
    attendance: Attendance | None

    @property
    def open_for_checkin(self) -> bool:
        """Whether I can still check in: nothing recorded and the code window is open."""
        opens = self.session.starts_at - CHECKIN_OPENS_BEFORE
        return self.attendance is None and opens <= utcnow() <= self.session.ends_at


@dataclass
class MyClass:
    """A class I am on the roster of: its sessions, my attendance, whether I attended."""

    klass: TrainingClass
    attended_on: date | None
    needed: int
    attended: int
    sessions: list[MySession] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return FORMATS.get(self.klass.format, self.klass.format)


def my_classes(user_id: int) -> list[MyClass]:
    """The classes I am on, the latest first (three queries)."""
    rows = db.session.execute(
        select(ClassParticipant, TrainingClass)
        .join(TrainingClass, TrainingClass.id == ClassParticipant.class_id)
        .options(selectinload(TrainingClass.sessions))
        .where(ClassParticipant.user_id == user_id)
        .order_by(TrainingClass.created_at.desc(), TrainingClass.id.desc())
    ).all()
    session_ids = [s.id for _, k in rows for s in k.sessions]
    marks = {a.session_id: a for a in attendance_of(session_ids, user_id)}
    found = []
    for participant, klass in rows:
        sessions = [MySession(s, marks.get(s.id)) for s in klass.sessions]
        found.append(MyClass(
            klass, participant.attended_on,
            outcome.sessions_needed(klass.min_percent, len(sessions)),
            sum(1 for s in sessions if s.attendance and s.attendance.status in ATTENDED),
            sessions,
        ))  # fmt: skip
    # Classes still running come first, then the ones that are over.
    now = utcnow()
    found.sort(key=lambda c: not c.sessions or all(s.session.ends_at < now for s in c.sessions))
    return found


def my_classes_context(user_id: int) -> dict:
    """What the "Lớp của tôi" section of /me shows (template classes/_my_classes.html)."""
    return {"classes": my_classes(user_id), "statuses": STATUSES, "now": utcnow()}
