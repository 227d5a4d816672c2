"""The Q&A channel's figures for a period: per unit of the asker (rolled up) and per moderator.

The questions counted are those asked in the period (hidden ones, being abuse, left out). For
each group:

- asked; answered (a first answer exists); answered on time (the first answer came before the
  due time of its clock period, kept on the question when it was given) — the share is of the
  answered ones, as for administrative procedures' "giải quyết đúng hạn";
- the median and 90th percentile of the working days the clock ran until the first answer
  (waits for the asker's information left out);
- open now (new, assigned, waiting for information) and overdue now (waiting past due).

A question counts in the unit its asker belonged to on the day it was asked (the membership in
force then, or the unit noted when it was asked), and in every unit above that one in the tree
as it stood on the period's last day. A moderator's row holds the questions assigned to them,
the people answerable for them; an admin sees every figure, a moderator only those of the
questions assigned to them.

Every count is a SQL aggregate, and the number of queries does not grow with the units or the
questions. The percentiles are computed here, in Python, over the rows of one query (each
answered question's working days with its unit and moderator): SQLite has no
`percentile_cont`; the method is the same (linear between the closest ranks).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.sql import Select

from ..access import has_any_role
from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from ..org import service as org_service
from ..org.models import Membership, Unit, UnitLink
from ..qa.models import Question
from ..qa.states import OPEN, WAITING
from .period import Period

NO_UNIT = "Chưa xác định đơn vị"
UNASSIGNED = "Chưa phân công"


@dataclass(frozen=True)
class Figures:
    """One group's figures."""

    asked: int = 0
    answered: int = 0
    on_time: int = 0
    backlog: int = 0
    overdue: int = 0
    median: float | None = None
    p90: float | None = None

    @property
    def on_time_share(self) -> float | None:
        """Answered on time, of the answered (None when none was answered)."""
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class Row:
    """A unit or a moderator with its figures; depth indents units under their parents."""

    label: str
    figures: Figures
    depth: int = 0
    key: int | None = None


@dataclass
class QaReport:
    """The report as the page and the downloads show it."""

    period: Period
    unit: Unit | None
    scope: str | None
    """None: every question; otherwise the moderator whose questions alone are counted."""
    generated_at: datetime
    units: list[Row] = field(default_factory=list)
    moderators: list[Row] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)


def percentile(values: Iterable[float], share: float) -> float | None:
    """The share-th percentile, linear between the closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _local_day(column):
    """The Vietnam date of a stored UTC time, in SQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        # Stored as UTC text; Vietnam keeps UTC+7 all year.
        return func.date(column, "+7 hours")
    return cast(func.timezone("Asia/Ho_Chi_Minh", column), Date)


def _in_force(model, day) -> object:
    return and_(model.valid_from <= day, or_(model.valid_to.is_(None), model.valid_to >= day))


def _closure(as_of: date):
    """(ancestor, descendant) of the unit tree on a day, every unit its own ancestor."""
    link = select(UnitLink.unit_id, UnitLink.parent_id).where(_in_force(UnitLink, as_of)).subquery(
        "link")
    closure = select(Unit.id.label("ancestor"), Unit.id.label("descendant")).cte(
        "closure", recursive=True)
    # UNION (not UNION ALL): a cycle in bad data ends instead of looping.
    return closure.union(
        select(link.c.parent_id, closure.c.descendant)
        .join(link, link.c.unit_id == closure.c.ancestor)
        .where(link.c.parent_id.is_not(None))
    )


def _cohort(period: Period, now: datetime, moderator_id: int | None, closure, unit: Unit | None):
    asked_day = _local_day(Question.asked_at)
    unit_then = (
        select(Membership.unit_id)
        .where(Membership.user_id == Question.asker_id, _in_force(Membership, asked_day))
        .order_by(Membership.valid_from.desc())
        .limit(1)
        .correlate(Question)
        .scalar_subquery()
    )
    unit_id = func.coalesce(unit_then, Question.unit_id)
    query = select(
        Question.id.label("id"),
        unit_id.label("unit_id"),
        Question.assignee_id.label("assignee_id"),
        case((Question.first_answered_at.is_not(None), 1), else_=0).label("answered"),
        case((Question.first_answer_on_time.is_(True), 1), else_=0).label("on_time"),
        case((Question.state.in_(OPEN), 1), else_=0).label("backlog"),
        case((and_(Question.state.in_(WAITING), Question.due_at < now), 1), else_=0).label(
            "overdue"),
        Question.first_answer_workdays.label("workdays"),
    ).where(
        Question.asked_at >= period.starts,
        Question.asked_at < period.ends,
        Question.state != "hidden",
    )
    if moderator_id is not None:
        query = query.where(Question.assignee_id == moderator_id)
    if unit is not None:
        query = query.where(unit_id.in_(
            select(closure.c.descendant).where(closure.c.ancestor == unit.id)))
    return query.subquery("cohort")


def _sums(cohort) -> list:
    return [
        func.count(cohort.c.id),
        func.sum(cohort.c.answered),
        func.sum(cohort.c.on_time),
        func.sum(cohort.c.backlog),
        func.sum(cohort.c.overdue),
    ]


def _grouped(query: Select) -> dict[int | None, tuple[int, ...]]:
    return {key: tuple(int(v or 0) for v in values) for key, *values in db.session.execute(query)}


def _figures(sums: tuple[int, ...] | None, workdays: list[float]) -> Figures:
    asked, answered, on_time, backlog, overdue = sums or (0, 0, 0, 0, 0)
    return Figures(asked, answered, on_time, backlog, overdue,
                   percentile(workdays, 0.5), percentile(workdays, 0.9))


def qa_report(viewer: User, period: Period, unit: Unit | None = None) -> QaReport:
    """The figures of the questions asked in the period that the viewer may see."""
    now = utcnow()
    moderator_id = None if has_any_role(viewer, ("admin",)) else viewer.id
    closure = _closure(period.last)
    cohort = _cohort(period, now, moderator_id, closure, unit)
    in_tree = cohort.outerjoin(closure, closure.c.descendant == cohort.c.unit_id)

    per_unit = _grouped(
        select(closure.c.ancestor, *_sums(cohort)).select_from(in_tree).group_by(
            closure.c.ancestor))
    per_moderator = _grouped(
        select(cohort.c.assignee_id, *_sums(cohort)).group_by(cohort.c.assignee_id))
    times_by_unit: dict[int | None, list[float]] = {}
    times_by_moderator: dict[int | None, dict[int, float]] = {}
    for question_id, ancestor, assignee, workdays in db.session.execute(
        select(cohort.c.id, closure.c.ancestor, cohort.c.assignee_id, cohort.c.workdays)
        .select_from(in_tree)
        .where(cohort.c.workdays.is_not(None))
    ):
        times_by_unit.setdefault(ancestor, []).append(workdays)
        times_by_moderator.setdefault(assignee, {})[question_id] = workdays

    report = QaReport(period=period, unit=unit, generated_at=now,
                      scope=viewer.full_name if moderator_id is not None else None)
    report.units = _unit_rows(period.last, unit, per_unit, times_by_unit)
    report.moderators = _moderator_rows(per_moderator, times_by_moderator)
    totals = [sum(column) for column in zip(*per_moderator.values(), strict=True)]
    every_time = [t for times in times_by_moderator.values() for t in times.values()]
    report.total = _figures(tuple(totals) if totals else None, every_time)
    return report


def _unit_rows(as_of: date, chosen: Unit | None, sums: dict, times: dict) -> list[Row]:
    rows: list[Row] = []
    nodes = org_service.flatten(org_service.tree(as_of))
    in_tree = {node.unit.id for node in nodes}
    if chosen is not None:
        start = next((i for i, n in enumerate(nodes) if n.unit.id == chosen.id), None)
        if start is None:
            nodes = []
        else:
            depth = nodes[start].depth
            end = next((i for i in range(start + 1, len(nodes)) if nodes[i].depth <= depth),
                       len(nodes))
            nodes = nodes[start:end]
    base = nodes[0].depth if nodes else 0
    for node in nodes:
        if node.unit.id in sums:
            rows.append(Row(node.unit.name, _figures(sums[node.unit.id], times.get(node.unit.id,
                                                                                   [])),
                            node.depth - base, node.unit.id))
    # Units gone from the tree by the period's end (their questions still count).
    gone = [key for key in sums if key is not None and key not in in_tree]
    if gone:
        names = dict(db.session.execute(
            select(Unit.id, Unit.name).where(Unit.id.in_(gone))).all())
        for key in sorted(gone, key=lambda k: names.get(k, "")):
            rows.append(Row(names.get(key, str(key)), _figures(sums[key], times.get(key, [])),
                            0, key))
    if None in sums:
        rows.append(Row(NO_UNIT, _figures(sums[None], times.get(None, []))))
    return rows


def _moderator_rows(sums: dict, times: dict) -> list[Row]:
    ids = [key for key in sums if key is not None]
    names = dict(db.session.execute(
        select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
    rows = [Row(names.get(key, str(key)), _figures(sums[key], list(times.get(key, {}).values())),
                0, key) for key in ids]
    rows.sort(key=lambda row: (row.label, row.key))
    if None in sums:
        rows.append(Row(UNASSIGNED, _figures(sums[None], list(times.get(None, {}).values()))))
    return rows
