"""What counts for a training plan, as of a date: the one place that says it (reports cite it).

- **Window**: from the plan's first day (00:00, Vietnam time) to the end of the as-of date.
- **Roster** (đối tượng, the denominator): every account holding the official role whose
  membership on the as-of date is in an audience unit — a unit named in the plan or below it in
  the unit tree of that date, of one of the plan's levels when it names any — including those
  who never signed in. An account deactivated on or before the as-of date is out of it.
  Each official counts in the unit they belonged to on that date.
- **Accessed** (đã tiếp cận): opened every required lesson and document (a view, or a download
  of one of the document's files) at least once in the window.
- **Trained** (đã được bồi dưỡng): confirmed completing every required lesson in the window
  and, when the plan names a quiz, passed it (an attempt submitted in the window and passed);
  or attended a class that serves the plan (`attended_on`, kept by `classes.outcome`, from
  the plan's first day to the as-of date).
- **Serving** (lớp phục vụ kế hoạch): a class serves a plan when its `plan_slugs` name the
  plan, or when its `module_slugs` include every module the plan requires (its whole modules
  and the modules of its lessons); a plan requiring no lesson is served through its slug only.
  The serving classes are resolved in Python once per report (`serving_classes`: classes are
  few) and counted in SQL by id.
- **Never signed in** (chưa đăng nhập): no sign-in before the end of the as-of date.

Events are read only through `tracking.events`; quiz passes from the graded attempts; classes
from the participants' `attended_on`. Every
function here builds SQL, so a report is a fixed number of queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from ..auth.models import User, UserRole
from ..classes.models import ClassParticipant, TrainingClass
from ..clock import LOCAL_TZ
from ..coltypes import UTCDateTime
from ..extensions import db
from ..org.models import Membership
from ..quiz.models import SUBMITTED, Attempt
from ..tracking import events
from .models import Plan, PlanProgress
from .service import Requirements

DEFINITIONS: list[tuple[str, str]] = [
    (
        "Đối tượng",
        "cán bộ, công chức, viên chức (tài khoản học viên) đang hoạt động, thuộc đơn vị trong "
        "đối tượng của kế hoạch (kể cả đơn vị cấp dưới, theo cây đơn vị tại ngày báo cáo) vào "
        "ngày báo cáo — kể cả người chưa từng đăng nhập; mỗi người tính ở đơn vị mình thuộc "
        "vào ngày đó.",
    ),
    (
        "Đã tiếp cận",
        "đã mở mọi bài học và văn bản bắt buộc (xem trang hoặc tải tệp của văn bản) ít nhất "
        "một lần từ ngày bắt đầu kế hoạch đến hết ngày báo cáo.",
    ),
    (
        "Đã được bồi dưỡng",
        "đã xác nhận hoàn thành mọi bài học bắt buộc và, nếu kế hoạch có bài kiểm tra, đã "
        "làm đạt bài kiểm tra đó — trong cùng khoảng thời gian; hoặc đã tham dự một lớp bồi "
        "dưỡng phục vụ kế hoạch (có mặt hoặc đến muộn ở đủ số buổi lớp yêu cầu), với ngày đạt "
        "đủ số buổi từ ngày bắt đầu kế hoạch đến hết ngày báo cáo.",
    ),
    (
        "Lớp phục vụ kế hoạch",
        "lớp bồi dưỡng ghi mã kế hoạch này, hoặc lớp dạy đủ mọi chuyên đề kế hoạch yêu cầu "
        "(chuyên đề bắt buộc và chuyên đề của các bài học bắt buộc); kế hoạch không yêu cầu "
        "bài học nào chỉ được phục vụ bởi lớp ghi mã kế hoạch.",
    ),
    (
        "Lớp, lượt",
        "lớp: số lớp phục vụ kế hoạch khác nhau mà đối tượng của đơn vị đã tham dự trong "
        "khoảng thời gian; lượt: số lần tham dự (mỗi người mỗi lớp tính một lượt).",
    ),
    ("Chưa đăng nhập", "chưa đăng nhập lần nào tính đến hết ngày báo cáo."),
    (
        "Tỷ lệ",
        "số người trên tổng số đối tượng, không bao giờ quá 100 %; đạt chỉ tiêu khi tỷ lệ "
        "lớn hơn hoặc bằng chỉ tiêu của kế hoạch.",
    ),
]

NOT_STARTED, IN_PROGRESS, ACCESSED, TRAINED = "not_started", "in_progress", "accessed", "trained"
STATES = {
    NOT_STARTED: "Chưa bắt đầu",
    IN_PROGRESS: "Đang học",
    ACCESSED: "Đã tiếp cận",
    TRAINED: "Đã được bồi dưỡng",
}


def day_start(day: date) -> datetime:
    """00:00 of a Vietnamese calendar day, in UTC."""
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """The period a report counts: [start, end) in UTC, and the as-of date."""

    start: datetime
    end: datetime
    as_of: date

    @classmethod
    def of(cls, starts: date, as_of: date) -> Window:
        """From a plan's first day to the end of the as-of date."""
        return cls(day_start(starts), day_start(as_of + timedelta(days=1)), as_of)

    @property
    def first(self) -> date:
        """The plan's first day (the local date of start)."""
        return self.start.astimezone(LOCAL_TZ).date()


@dataclass(frozen=True)
class Rule:
    """A plan's requirements put as material numbers, ready to count with."""

    access: events.Materials
    lessons: events.Materials
    access_count: int
    lesson_count: int
    quiz_id: int | None
    quiz_named: bool
    classes: tuple[int, ...] = ()
    """The ids of the classes that serve the plan (`serving_classes`)."""

    @classmethod
    def of(cls, reqs: Requirements, classes: Sequence[int] = ()) -> Rule:
        """Number the materials of resolved requirements; classes are the serving ones."""
        access = {ref: m.number for m in reqs.materials for ref in m.refs}
        lessons = {ref: m.number for m in reqs.lessons for ref in m.refs}
        return cls(
            access=access,
            lessons=lessons,
            access_count=len(reqs.materials),
            lesson_count=len(reqs.lessons),
            quiz_id=reqs.quiz.id if reqs.quiz else None,
            quiz_named=reqs.quiz_named,
            classes=tuple(sorted(set(classes))),
        )


# --- Classes that serve a plan ----------------------------------------------------------------


def plan_modules(plan: Plan) -> frozenset[str]:
    """The modules a plan requires: its whole modules and the modules of its lessons."""
    lessons = {ref.split("/", 1)[0] for ref in plan.required_lessons or () if "/" in ref}
    return frozenset(plan.required_modules or ()) | lessons


def _names(value) -> set[str]:
    # A JSON column: anything but a list of strings (hand-edited data) names nothing.
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def serves(plan: Plan, module_slugs, plan_slugs) -> bool:
    """Whether a class with these modules and plans serves the plan (the rule above)."""
    if plan.slug in _names(plan_slugs):
        return True
    needed = plan_modules(plan)
    return bool(needed) and needed <= _names(module_slugs)


def serving_classes(plan: Plan) -> tuple[int, ...]:
    """The ids of the classes serving a plan: one query over the classes (they are few)."""
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.module_slugs, TrainingClass.plan_slugs)
    )
    return tuple(sorted(i for i, modules, plans in rows if serves(plan, modules, plans)))


def _attended(rule: Rule, window: Window) -> Select:
    """(user_id, classes, since): serving classes attended in the window, per official."""
    p = ClassParticipant
    return (
        select(p.user_id.label("user_id"), func.count().label("classes"),
               func.min(p.attended_on).label("since"))
        .where(p.class_id.in_(rule.classes), p.attended_on >= window.first,
               p.attended_on <= window.as_of)
        .group_by(p.user_id)
    )  # fmt: skip


# --- The pieces -------------------------------------------------------------------------------


def on_roster(day: date | ColumnElement, end: datetime | ColumnElement) -> ColumnElement[bool]:
    """Membership (joined to its user) in force on day, of an active official at end of day."""
    m = Membership
    official = exists().where(UserRole.user_id == User.id, UserRole.role == "official")
    return and_(
        m.valid_from <= day,
        or_(m.valid_to.is_(None), m.valid_to >= day),
        or_(User.active.is_(True), and_(User.deactivated_at.is_not(None),
                                        User.deactivated_at >= end)),
        official,
    )  # fmt: skip


def never_signed_in(end: datetime | ColumnElement) -> ColumnElement[bool]:
    """The user had not signed in before end."""
    return or_(User.first_login_at.is_(None), User.first_login_at >= end)


def _passes(rule: Rule, window: Window) -> Select:
    return (
        select(Attempt.user_id.label("user_id"))
        .where(
            Attempt.quiz_id == rule.quiz_id,
            Attempt.status == SUBMITTED,
            Attempt.passed.is_(True),
            Attempt.submitted_at >= window.start,
            Attempt.submitted_at < window.end,
        )
        .group_by(Attempt.user_id)
    )


def _quiz_ok(rule: Rule, passed: ColumnElement | None) -> ColumnElement[bool]:
    if not rule.quiz_named:
        return true()
    if rule.quiz_id is None or passed is None:
        return false()
    return passed.is_not(None)


def _trained(rule: Rule, lessons: ColumnElement[bool], passed: ColumnElement | None):
    """Completed the lessons (lessons: a condition, true when none is required) and the quiz."""
    if rule.lesson_count == 0 and not rule.quiz_named:
        return false()
    return and_(lessons, _quiz_ok(rule, passed))


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


# --- Per unit ---------------------------------------------------------------------------------


def unit_counts_query(
    plan_id: int,
    rule: Rule,
    window: Window,
    unit_ids: Collection[int] | None = None,
    *,
    narrow: bool = False,
) -> Select:
    """(unit_id, roster, accessed, trained, never_signed_in) per unit of membership, one query.

    Accessed and the lessons part of trained are read from the plan's kept progress (one row
    per official, `reached`; the report refreshes it first). With unit_ids, only memberships
    in those units count. With narrow (a commune among a province's units), the quiz passes
    are read only for those units' officials rather than for everyone's and then joined.
    """
    ids = sorted(set(unit_ids)) if unit_ids is not None else None
    kept = PlanProgress
    query = (
        select(Membership.unit_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(kept, and_(kept.plan_id == plan_id, kept.user_id == User.id))
    )
    if ids is not None:
        query = query.where(Membership.unit_id.in_(ids))
    passed = None
    if rule.quiz_id is not None:
        passes = _passes(rule, window)
        if narrow and ids is not None:
            members = (
                select(Membership.user_id)
                .where(Membership.unit_id.in_(ids), Membership.valid_from <= window.as_of,
                       or_(Membership.valid_to.is_(None), Membership.valid_to >= window.as_of))
            )  # fmt: skip
            passes = passes.where(Attempt.user_id.in_(members))
        passes = passes.subquery("passes")
        query = query.outerjoin(passes, passes.c.user_id == User.id)
        passed = passes.c.user_id
    accessed = kept.accessed_at < window.end if rule.access_count else false()
    lessons = kept.lessons_at < window.end if rule.lesson_count else true()
    trained = _trained(rule, lessons, passed)
    if rule.classes:  # or attended a serving class in the window
        attended = _attended(rule, window).subquery("attended")
        query = query.outerjoin(attended, attended.c.user_id == User.id)
        trained = or_(trained, attended.c.user_id.is_not(None))
    return (
        query.add_columns(
            func.count().label("roster"),
            _flag(accessed).label("accessed"),
            _flag(trained).label("trained"),
            _flag(never_signed_in(window.end)).label("never_signed_in"),
        )
        .where(on_roster(window.as_of, window.end))
        .group_by(Membership.unit_id)
    )


def unit_classes_query(rule: Rule, window: Window) -> Select:
    """(unit_id, class_id, participations): the roster's serving classes attended, one query."""
    p = ClassParticipant
    return (
        select(Membership.unit_id, p.class_id, func.count().label("participations"))
        .join(User, User.id == Membership.user_id)
        .join(p, p.user_id == User.id)
        .where(on_roster(window.as_of, window.end), p.class_id.in_(rule.classes),
               p.attended_on >= window.first, p.attended_on <= window.as_of)
        .group_by(Membership.unit_id, p.class_id)
    )  # fmt: skip


def unit_class_trained_query(rule: Rule, window: Window) -> Select:
    """(unit_id, officials): the roster trained through a serving class, per unit, one query."""
    attended = _attended(rule, window).subquery("attended")
    return (
        select(Membership.unit_id, func.count().label("officials"))
        .join(User, User.id == Membership.user_id)
        .join(attended, attended.c.user_id == User.id)
        .where(on_roster(window.as_of, window.end))
        .group_by(Membership.unit_id)
    )


@dataclass(frozen=True)
class Counts:
    """Roster, accessed, trained, never signed in and classes: for a unit, or rolled up."""

    roster: int = 0
    accessed: int = 0
    trained: int = 0
    never_signed_in: int = 0
    participations: int = 0
    class_ids: frozenset[int] = frozenset()
    """The serving classes the roster attended in the window (distinct when rolled up)."""

    @property
    def classes(self) -> int:
        """How many distinct serving classes."""
        return len(self.class_ids)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.roster + other.roster,
            self.accessed + other.accessed,
            self.trained + other.trained,
            self.never_signed_in + other.never_signed_in,
            self.participations + other.participations,
            self.class_ids | other.class_ids,
        )


def pct(part: int, whole: int) -> float | None:
    """part of whole in percent with one decimal (None for an empty roster); at most 100."""
    if not whole:
        return None
    return round(min(100.0, 100.0 * part / whole), 1)


def target_met(part: int, whole: int, target: float) -> bool | None:
    """Whether part of whole reaches target percent (compared exactly, not after rounding)."""
    if not whole:
        return None
    return part * 100 >= target * whole


# --- Per official, for the drill-down ---------------------------------------------------------


@dataclass(frozen=True)
class AttendedClass:
    """A serving class an official attended in the window, and the day they reached it."""

    class_id: int
    title: str
    attended_on: date


@dataclass(frozen=True)
class OfficialFacts:
    """What one official on the roster did in the window."""

    user_id: int
    username: str
    full_name: str
    unit_id: int
    signed_in: bool
    reached: frozenset[int]  # material numbers opened
    completed: frozenset[int]  # lesson material numbers completed
    passed: bool
    attempted: bool
    classes: tuple[AttendedClass, ...] = ()  # serving classes attended, first reached first


def officials(
    rule: Rule, window: Window, unit_ids: Sequence[int], user_id: int | None = None
) -> list[OfficialFacts]:
    """Every official on the roster of the given units (or only user_id), with what they did.

    Five queries at most, whatever the number of officials.
    """
    if not unit_ids:
        return []
    ids = sorted(set(unit_ids))
    only = [User.id == user_id] if user_id is not None else []
    roster = (
        select(User.id, User.username, User.full_name, Membership.unit_id,
               never_signed_in(window.end))
        .join(User, User.id == Membership.user_id)
        .where(on_roster(window.as_of, window.end), Membership.unit_id.in_(ids), *only)
        .order_by(User.full_name, User.username)
    )  # fmt: skip
    rows = db.session.execute(roster).all()
    if not rows:
        return []
    members = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(on_roster(window.as_of, window.end), Membership.unit_id.in_(ids), *only)
    )
    reached: dict[int, set[int]] = {}
    completed: dict[int, set[int]] = {}
    if rule.access:
        for user_id, number in db.session.execute(
            events.reached_materials(
                rule.access, events.ACCESS_ACTIONS, window.start, window.end, members
            )
        ):
            reached.setdefault(user_id, set()).add(number)
    if rule.lessons:
        for user_id, number in db.session.execute(
            events.reached_materials(
                rule.lessons, (events.COMPLETE,), window.start, window.end, members
            )
        ):
            completed.setdefault(user_id, set()).add(number)
    passed: set[int] = set()
    attempted: set[int] = set()
    if rule.quiz_id is not None:
        for (user_id,) in db.session.execute(
            select(Attempt.user_id)
            .where(
                Attempt.quiz_id == rule.quiz_id,
                Attempt.started_at >= window.start,
                Attempt.started_at < window.end,
                Attempt.user_id.in_(members),
            )
            .group_by(Attempt.user_id)
        ):
            attempted.add(user_id)
        passed = {
            user_id
            for (user_id,) in db.session.execute(
                _passes(rule, window).where(Attempt.user_id.in_(members))
            )
        }
    classes: dict[int, list[AttendedClass]] = {}
    if rule.classes:
        p = ClassParticipant
        for user_id, class_id, title, day in db.session.execute(
            select(p.user_id, p.class_id, TrainingClass.title, p.attended_on)
            .join(TrainingClass, TrainingClass.id == p.class_id)
            .where(p.class_id.in_(rule.classes), p.attended_on >= window.first,
                   p.attended_on <= window.as_of, p.user_id.in_(members))
            .order_by(p.attended_on, TrainingClass.title, p.class_id)
        ):  # fmt: skip
            classes.setdefault(user_id, []).append(AttendedClass(class_id, title, day))
    return [
        OfficialFacts(
            user_id=user_id,
            username=username,
            full_name=full_name,
            unit_id=unit_id,
            signed_in=not never,
            reached=frozenset(reached.get(user_id, ())),
            completed=frozenset(completed.get(user_id, ())),
            passed=user_id in passed,
            attempted=user_id in attempted,
            classes=tuple(classes.get(user_id, ())),
        )
        for user_id, username, full_name, unit_id, never in rows
    ]


def is_accessed(rule: Rule, facts: OfficialFacts) -> bool:
    """The definition of accessed, for one official's facts (what the SQL counts)."""
    return rule.access_count > 0 and len(facts.reached) >= rule.access_count


def is_trained(rule: Rule, facts: OfficialFacts) -> bool:
    """The definition of trained, for one official's facts (what the SQL counts)."""
    if facts.classes:
        return True
    if rule.lesson_count == 0 and not rule.quiz_named:
        return False
    lessons = len(facts.completed) >= rule.lesson_count
    quiz = (not rule.quiz_named) or (rule.quiz_id is not None and facts.passed)
    return lessons and quiz


def state(rule: Rule, facts: OfficialFacts) -> str:
    """Not started, in progress, accessed or trained."""
    if is_trained(rule, facts):
        return TRAINED
    if is_accessed(rule, facts):
        return ACCESSED
    if facts.reached or facts.completed or facts.attempted:
        return IN_PROGRESS
    return NOT_STARTED


# --- Week by week -----------------------------------------------------------------------------


def trend_query(plan_id: int, rule: Rule, starts: date, days: Sequence[date]) -> Select:
    """(kind, unit_id, first, stop, officials) for every day of days at once, in one query.

    Accessed and trained only grow within a plan's period, so each official's time of reaching
    the last material (the plan's kept progress, `reached`; the report refreshed it), and the
    first day they attended a serving class, answer for every day at once. Each membership
    counts on a run of consecutive days — on the roster (kind 0) from the first day it is in
    force until it ends or the account is deactivated; accessed (1) and trained (2) from the
    first day's end they were reached by, within that run — so the query returns runs as
    day indexes [first, stop), counted per unit, and `trend_counts` adds them up day by day.
    One pass over the memberships, whatever the number of days.
    """
    k = len(days)
    ends = [day_start(day + timedelta(days=1)) for day in days]
    start = day_start(starts)
    kept = PlanProgress
    passes = (
        select(Attempt.user_id.label("user_id"), func.min(Attempt.submitted_at).label("since"))
        .where(
            Attempt.quiz_id == rule.quiz_id,
            Attempt.status == SUBMITTED,
            Attempt.passed.is_(True),
            Attempt.submitted_at >= start,
        )
        .group_by(Attempt.user_id)
        .subquery("passes")
    )

    def reached_by(since: ColumnElement) -> ColumnElement[int]:
        # The first day whose end comes after since (k: none), i.e. how many ends are <= since.
        return case((since.is_(None), k), else_=_count_upto(since, ends, UTCDateTime()))

    official = exists().where(UserRole.user_id == User.id, UserRole.role == "official")
    m = Membership
    first = _count_upto(m.valid_from, days, Date(), strict=True)  # days before valid_from
    last = case((m.valid_to.is_(None), k), else_=_count_upto(m.valid_to, days, Date()))
    active = case(
        (User.active.is_(True), k),
        (User.deactivated_at.is_(None), 0),
        else_=_count_upto(User.deactivated_at, ends, UTCDateTime()),
    )
    accessed = reached_by(kept.accessed_at) if rule.access_count else literal(k)
    lessons = reached_by(kept.lessons_at) if rule.lesson_count else literal(0)
    if not rule.quiz_named:
        quiz = literal(0)
    elif rule.quiz_id is None:
        quiz = literal(k)
    else:
        quiz = reached_by(passes.c.since)
    no_training = rule.lesson_count == 0 and not rule.quiz_named
    extra, joins = [], []
    if rule.classes:  # trained too from the first day a serving class was attended
        p = ClassParticipant
        attended = (
            select(p.user_id.label("user_id"), func.min(p.attended_on).label("since"))
            .where(p.class_id.in_(rule.classes), p.attended_on >= starts)
            .group_by(p.user_id)
            .subquery("attended")
        )
        by_class = case((attended.c.since.is_(None), k),
                        else_=_count_upto(attended.c.since, days, Date(), strict=True))
        extra.append(by_class.label("by_class"))
        joins.append(attended)
    facts = (
        select(
            m.unit_id.label("unit_id"),
            first.label("first"),
            last.label("last"),
            active.label("active"),
            accessed.label("accessed"),
            literal(k).label("trained") if no_training else lessons.label("lessons"),
            literal(0).label("quiz") if no_training else quiz.label("quiz"),
            *extra,
        )
        .join(User, User.id == m.user_id)
        .outerjoin(kept, and_(kept.plan_id == plan_id, kept.user_id == User.id))
        .outerjoin(passes, passes.c.user_id == User.id)
    )
    for sub in joins:
        facts = facts.outerjoin(sub, sub.c.user_id == User.id)
    facts = facts.where(official).cte("facts")
    f = facts.c
    stop = _least(f["last"], f.active)
    trained = f.trained if no_training else _greatest(f.lessons, f.quiz)
    if rule.classes:
        trained = _least(trained, f.by_class)
    runs = []
    for kind, since in ((0, f.first), (1, _greatest(f.first, f.accessed)),
                        (2, _greatest(f.first, trained))):  # fmt: skip
        runs.append(
            select(literal(kind).label("kind"), f.unit_id, since.label("first"),
                   stop.label("stop"), func.count().label("officials"))
            .select_from(facts)
            .where(since < stop)
            .group_by(f.unit_id, since, stop)
        )  # fmt: skip
    return union_all(*runs)


def trend_counts(rows, days: Sequence[date]) -> dict[date, dict[int, tuple[int, int, int]]]:
    """The runs of `trend_query` added up: (roster, accessed, trained) per day and unit."""
    counts: dict[int, list[list[int]]] = {}
    for kind, unit_id, first, stop, officials in rows:
        per_day = counts.setdefault(unit_id, [[0, 0, 0] for _ in days])
        for i in range(max(int(first), 0), min(int(stop), len(days))):
            per_day[i][kind] += officials
    return {
        day: {unit_id: tuple(per_day[i]) for unit_id, per_day in counts.items()}
        for i, day in enumerate(days)
    }


def _count_upto(value: ColumnElement, bounds: Sequence, type_, *, strict: bool = False):
    """How many of the sorted bounds are <= value (< with strict), as a bisecting CASE."""

    def count(lo: int, hi: int):
        if lo == hi:
            return literal(lo)
        mid = (lo + hi) // 2
        bound = literal(bounds[mid], type_)
        below = bound < value if strict else bound <= value
        return case((below, count(mid + 1, hi)), else_=count(lo, mid))

    return count(0, len(bounds))


def _least(a: ColumnElement, b: ColumnElement) -> ColumnElement[int]:
    return case((a < b, a), else_=b)


def _greatest(a: ColumnElement, b: ColumnElement) -> ColumnElement[int]:
    return case((a > b, a), else_=b)
