"""The classes report (/reports/classes): what training classes did in a period, per unit and
per class.

For a period of days (from/to, by default the current year up to today) and optionally one
plan (then only the classes that serve it, by the rule of `counting`):

- **classes held** (lớp đã tổ chức): classes with at least one session started in the period
  (and before now); a unit counts a class when someone on its roster belongs to the unit;
- **participations** (lượt): participant × class whose `attended_on` (the day the official
  reached the class's share of sessions, `classes.outcome`) falls in the period;
- **people** (người): distinct officials among those participations;
- **attendance rate** (tỷ lệ chuyên cần): present or late over every participant-session of
  the sessions held in the period — each session with every official on its class's roster,
  and anyone else whose attendance was recorded there; never above 100 %;
- **trained by classes** (được bồi dưỡng qua lớp, with a plan only): officials on the plan's
  roster on the last day who attended a serving class from the plan's first day to that day —
  the class clause of the compliance report's "trained", counted by `counting` itself.

Everyone counts in the unit they belonged to on the period's last day (the as-of date), rolled
up the unit tree of that day; those without a unit that day are a row of their own (admins).
A focal point sees their unit's subtree only. Every figure is a SQL aggregate grouped by unit
and class; the number of queries does not grow with units, classes or officials.

This module lives in `plans/` rather than `reports/` because, with a plan chosen, it counts
with the plans' serving rule and trained clause, and `reports/` sits below `plans/`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, union

from ..classes.models import (
    ATTENDED,
    FORMATS,
    Attendance,
    ClassParticipant,
    ClassSession,
    TrainingClass,
)
from ..clock import local_today, utcnow
from ..extensions import db
from ..org.models import Membership, Unit
from ..reports.period import Period, ReportError, read_period, read_unit
from ..timefmt import vn_date
from . import counting
from .counting import Rule, Window
from .models import Plan
from .service import Requirements, get_plan
from .tree import Tree, UnitHistory, audience

NO_UNIT = "Không thuộc đơn vị nào vào ngày cuối kỳ"


class NotVisible(ReportError):
    """A unit outside what the reader may see (answered as not found)."""


@dataclass(frozen=True)
class Figures:
    """One unit's (rolled up) or one class's figures."""

    class_ids: frozenset[int] = frozenset()
    participations: int = 0
    people: int = 0
    present: int = 0
    expected: int = 0
    trained: int = 0

    @property
    def classes(self) -> int:
        """Distinct classes held."""
        return len(self.class_ids)

    @property
    def rate(self) -> float | None:
        """Present or late over the participant-sessions (None: no session held)."""
        return min(1.0, self.present / self.expected) if self.expected else None

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.class_ids | other.class_ids,
            self.participations + other.participations,
            self.people + other.people,
            self.present + other.present,
            self.expected + other.expected,
            self.trained + other.trained,
        )


@dataclass(frozen=True)
class UnitLine:
    """A unit of the report, rolled up over its subtree."""

    unit_id: int | None
    code: str
    name: str
    depth: int
    figures: Figures
    has_children: bool = False


@dataclass(frozen=True)
class ClassLine:
    """A class held in the period, with the figures of the officials in scope."""

    class_id: int
    title: str
    format: str
    sessions: int
    first: datetime
    last: datetime
    figures: Figures

    @property
    def format_label(self) -> str:
        return FORMATS.get(self.format, self.format)


@dataclass
class ClassesReport:
    """The report as the page and the downloads show it."""

    period: Period
    plan: Plan | None
    scope: Unit | None
    generated_at: datetime
    units: list[UnitLine] = field(default_factory=list)
    classes: list[ClassLine] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)
    unassigned: bool = False
    """A focal point with no unit assigned: nothing to show."""


# --- Reading what was asked -------------------------------------------------------------------


def read_inputs(first: str | None, last: str | None, plan_slug: str | None,
                unit: str | None) -> tuple[Period, Plan | None, Unit | None]:  # fmt: skip
    """The period (by default 1 January of the last day's year to today), plan and unit."""
    today = local_today()
    if (first or "").strip():
        period = read_period(first, last)
    else:
        end = read_period(None, last).last
        period = Period(date(end.year, 1, 1), end)
    if period.last > today:
        raise ReportError(
            f"Đến ngày {vn_date(period.last)} ở tương lai (hôm nay {vn_date(today)}); "
            "hãy chọn một ngày đã qua."
        )
    plan = None
    slug = (plan_slug or "").strip()
    if slug:
        plan = get_plan(slug)
        if plan is None:
            raise ReportError(f"Kế hoạch: không có kế hoạch mã “{slug[:100]}”.")
    return period, plan, read_unit(unit)


def classes_report(first: str | None, last: str | None, plan_slug: str | None = None,
                   unit: str | None = None, *, within: Unit | None = None,
                   restricted: bool = False) -> ClassesReport:  # fmt: skip
    """Read the inputs and build the report (what the page and the downloads call)."""
    period, plan, chosen = read_inputs(first, last, plan_slug, unit)
    return build(period, plan=plan, unit=chosen, within=within, restricted=restricted)


# --- Counting ---------------------------------------------------------------------------------


def _unit_on(day: date, user_id):
    """The unit a user belonged to on day (memberships of one account never overlap)."""
    m = Membership
    return (
        select(m.unit_id)
        .where(m.user_id == user_id, m.valid_from <= day,
               or_(m.valid_to.is_(None), m.valid_to >= day))
        .order_by(m.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )  # fmt: skip


def _held_sessions(period: Period, now: datetime, classes: tuple[int, ...] | None):
    s = ClassSession
    query = select(s.id.label("session_id"), s.class_id.label("class_id")).where(
        s.starts_at >= period.starts, s.starts_at < min(period.ends, now)
    )
    if classes is not None:
        query = query.where(s.class_id.in_(classes))
    return query.subquery("held")


Grouped = dict[tuple[int | None, int], tuple[int, ...]]


def _grouped(query) -> Grouped:
    return {(unit_id, class_id): tuple(int(v or 0) for v in values)
            for unit_id, class_id, *values in db.session.execute(query)}  # fmt: skip


def _figures(period: Period, now: datetime, classes: tuple[int, ...] | None):
    """Per (unit, class): participations; per (unit, class): present, expected; per unit:
    people. Three queries."""
    as_of = period.last
    held = _held_sessions(period, now, classes)
    held_classes = select(held.c.class_id).group_by(held.c.class_id)
    p = ClassParticipant
    in_period = and_(p.attended_on >= period.first, p.attended_on <= period.last)
    part = (
        select(p.class_id, p.user_id, case((in_period, 1), else_=0).label("attended"),
               _unit_on(as_of, p.user_id).label("unit_id"))
        .where(p.class_id.in_(held_classes))
        .subquery("part")
    )  # fmt: skip
    participations = _grouped(
        select(part.c.unit_id, part.c.class_id, func.sum(part.c.attended))
        .group_by(part.c.unit_id, part.c.class_id)
    )
    people = {
        unit_id: int(n)
        for unit_id, n in db.session.execute(
            select(part.c.unit_id, func.count(func.distinct(part.c.user_id)))
            .where(part.c.attended == 1)
            .group_by(part.c.unit_id)
        )
    }
    # Every participant-session: the roster of each held session's class, and whoever else
    # had attendance recorded at it (UNION: each pair once).
    a = Attendance
    pairs = union(
        select(held.c.session_id, held.c.class_id, p.user_id)
        .select_from(held).join(p, p.class_id == held.c.class_id),
        select(held.c.session_id, held.c.class_id, a.user_id)
        .select_from(held).join(a, a.session_id == held.c.session_id),
    ).subquery("pairs")
    seen = (
        select(pairs.c.class_id, _unit_on(as_of, pairs.c.user_id).label("unit_id"),
               case((a.status.in_(ATTENDED), 1), else_=0).label("present"))
        .select_from(pairs)
        .outerjoin(a, and_(a.session_id == pairs.c.session_id, a.user_id == pairs.c.user_id))
        .subquery("seen")
    )  # fmt: skip
    attendance = _grouped(
        select(seen.c.unit_id, seen.c.class_id, func.sum(seen.c.present), func.count())
        .group_by(seen.c.unit_id, seen.c.class_id)
    )
    return participations, people, attendance


def _class_lines(period: Period, now: datetime, classes: tuple[int, ...] | None):
    held = _held_sessions(period, now, classes)
    s = ClassSession
    return db.session.execute(
        select(TrainingClass.id, TrainingClass.title, TrainingClass.format,
               func.count(s.id), func.min(s.starts_at), func.max(s.starts_at))
        .join(held, held.c.class_id == TrainingClass.id)
        .join(s, s.id == held.c.session_id)
        .group_by(TrainingClass.id, TrainingClass.title, TrainingClass.format)
        .order_by(func.min(s.starts_at), TrainingClass.title, TrainingClass.id)
    ).all()  # fmt: skip


def _trained(plan: Plan, classes: tuple[int, ...], as_of: date,
             tree: Tree) -> tuple[dict, Grouped]:  # fmt: skip
    """Officials trained through a serving class, per unit and per (unit, class): the
    compliance report's class clause, counted by `counting` (two queries), audience only."""
    if not classes:
        return {}, {}
    rule = Rule.of(Requirements(), classes)  # only the class clause is counted here
    window = Window.of(plan.starts, as_of)
    members = audience(plan, tree).members
    per_unit = {
        unit_id: int(n)
        for unit_id, n in db.session.execute(counting.unit_class_trained_query(rule, window))
        if unit_id in members
    }
    per_class = {
        key: values for key, values in _grouped(counting.unit_classes_query(rule, window)).items()
        if key[0] in members
    }
    return per_unit, per_class


# --- Building ---------------------------------------------------------------------------------


def _scope(tree: Tree, unit: Unit | None, within: Unit | None, as_of: date) -> Unit | None:
    if within is not None:
        if within.id not in tree.units:
            raise ReportError(
                f"Đơn vị {within.code} của bạn không tồn tại vào ngày {vn_date(as_of)}."
            )
        if unit is not None and unit.id not in tree.subtree(within.id):
            raise NotVisible(f"Đơn vị {unit.code} không thuộc phạm vi của bạn.")
    if unit is not None and unit.id not in tree.units:
        raise ReportError(f"Đơn vị {unit.code} không tồn tại vào ngày {vn_date(as_of)}.")
    return unit or within


def build(period: Period, *, plan: Plan | None = None, unit: Unit | None = None,
          within: Unit | None = None, restricted: bool = False) -> ClassesReport:  # fmt: skip
    """The figures of the period for the reader: a focal point (restricted) sees within's
    subtree only, and nothing when within is None."""
    now = utcnow()
    report = ClassesReport(period, plan, None, now)
    if restricted and within is None:
        if unit is not None:
            raise NotVisible("Bạn chưa được giao đơn vị nào.")
        report.unassigned = True
        return report
    tree = UnitHistory().tree(period.last)
    report.scope = scope = _scope(tree, unit, within, period.last)
    classes = counting.serving_classes(plan) if plan is not None else None
    participations, people, attendance = _figures(period, now, classes)
    trained_units, trained_classes = (
        _trained(plan, classes or (), period.last, tree) if plan is not None else ({}, {})
    )

    # Each unit's own figures (units not in the tree that day join the row without a unit),
    # and each class's per unit. People and the trained are distinct per unit: a unit's own
    # come from their own queries, not from adding up its classes.
    own: dict[int | None, Figures] = defaultdict(Figures)
    by_class: dict[int, dict[int | None, Figures]] = defaultdict(lambda: defaultdict(Figures))

    def key(unit_id: int | None) -> int | None:
        return unit_id if unit_id in tree.units else None

    for (unit_id, class_id), (n,) in participations.items():
        own[key(unit_id)] += Figures(frozenset({class_id}), participations=n)
        by_class[class_id][key(unit_id)] += Figures(frozenset({class_id}), participations=n,
                                                    people=n)
    for (unit_id, class_id), (present, expected) in attendance.items():
        figures = Figures(frozenset({class_id}), present=present, expected=expected)
        own[key(unit_id)] += figures
        by_class[class_id][key(unit_id)] += figures
    for (unit_id, class_id), (n,) in trained_classes.items():
        by_class[class_id][key(unit_id)] += Figures(trained=n)
    for unit_id, n in people.items():
        own[key(unit_id)] += Figures(people=n)
    for unit_id, n in trained_units.items():
        own[key(unit_id)] += Figures(trained=n)

    starts = [scope.id] if scope is not None else tree.children.get(None, [])
    visible = {i for s in starts for i in tree.subtree(s)}
    everyone = scope is None and not restricted
    rolled: dict[int, Figures] = {}

    def total(unit_id: int) -> Figures:
        if unit_id not in rolled:
            base = own.get(unit_id, Figures())
            for child in tree.children.get(unit_id, []):
                base = base + total(child)
            rolled[unit_id] = base
        return rolled[unit_id]

    def visit(unit_id: int, depth: int) -> None:
        unit_ = tree.units[unit_id]
        kids = tree.children.get(unit_id, [])
        report.units.append(UnitLine(unit_id, unit_.code, unit_.name, depth, total(unit_id),
                                     bool(kids)))
        for child in kids:
            visit(child, depth + 1)

    for start in starts:
        visit(start, 0)
    report.total = sum((total(s) for s in starts), Figures())
    if everyone and None in own:
        report.units.append(UnitLine(None, "", NO_UNIT, 0, own[None]))
        report.total = report.total + own[None]

    counted = visible | ({None} if everyone else set())
    for class_id, title, fmt, sessions, first, last in _class_lines(period, now, classes):
        figures = sum((f for u, f in by_class.get(class_id, {}).items() if u in counted),
                      Figures())
        if not everyone and not figures.class_ids:
            continue  # no one in scope took part
        report.classes.append(ClassLine(class_id, title, fmt, sessions, first, last,
                                        replace(figures, class_ids=frozenset({class_id}))))
    return report


def unit_choices(within: Unit | None, restricted: bool, day: date | None = None) -> list:
    """(code, name, depth) of the units a reader may pick, in the tree of day (today)."""
    if restricted and within is None:
        return []
    tree = UnitHistory().tree(day or local_today())
    if within is not None and within.id not in tree.units:
        return []
    starts = [within.id] if within is not None else tree.children.get(None, [])
    out = []

    def visit(unit_id: int, depth: int) -> None:
        out.append((tree.units[unit_id].code, tree.units[unit_id].name, depth))
        for child in tree.children.get(unit_id, []):
            visit(child, depth + 1)

    for start in starts:
        visit(start, 0)
    return out


def default_period(today: date | None = None) -> tuple[date, date]:
    """The current year up to today."""
    today = today or local_today()
    return date(today.year, 1, 1), today
