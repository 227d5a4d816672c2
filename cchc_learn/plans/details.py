"""The report page's other parts: each official with what is missing, the weekly trend, the
units furthest behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..database import room_for_reports
from ..extensions import db
from ..org.models import Unit
from ..tracking.events import LESSON
from . import counting
from .report import Report, UnitRow, compliance
from .service import Material
from .tree import Audience, Tree, UnitHistory, audience

OFFICIALS_SHOWN = 500
LISTED_ROSTER = 2_000
"""A scope with more officials than this asks for a unit before listing them (the province's
list of 20,000 takes seconds to compute and nobody reads it)."""


# --- Officials --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """Something an official has still to do: a title and a link."""

    title: str
    url: str
    what: str  # "open", "complete" or "quiz"
    lesson_id: int | None = None  # set for a lesson

    @property
    def label(self) -> str:
        """What to do, in Vietnamese."""
        if self.what == "quiz":
            return "Làm đạt bài kiểm tra"
        if self.what == "complete":
            return "Xác nhận hoàn thành bài học"
        return "Mở bài học" if self.lesson_id is not None else "Đọc văn bản"


@dataclass(frozen=True)
class OfficialRow:
    """One official of the drill-down."""

    user_id: int
    username: str
    full_name: str
    unit_code: str
    unit_name: str
    state: str
    signed_in: bool
    missing: list[Missing]
    classes: tuple[counting.AttendedClass, ...] = ()
    """The serving classes attended in the window: trained through a class."""

    @property
    def state_label(self) -> str:
        return counting.STATES[self.state]


def step(material: Material, what: str) -> Missing:
    """Opening or completing a material, as a step."""
    lesson_id = material.id if material.kind == LESSON else None
    return Missing(material.title, material.url, what, lesson_id)


def missing_for(report: Report, facts: counting.OfficialFacts) -> list[Missing]:
    """What one official still has to open, complete or pass for the plan.

    Trained through a class, only opening the materials (being accessed) is left to do.
    """
    reqs = report.requirements
    out = [step(m, "open") for m in reqs.materials if m.number not in facts.reached]
    if facts.classes:
        return out
    out += [step(m, "complete") for m in reqs.lessons if m.number not in facts.completed]
    if reqs.quiz_named and not facts.passed:
        quiz = reqs.quiz
        out.append(
            Missing(
                quiz.title if quiz else report.plan.quiz_slug or "",
                f"/quizzes/{quiz.slug}" if quiz else "",
                "quiz",
            )
        )
    return out


def official_rows(report: Report, state: str | None = None) -> tuple[list[OfficialRow], int]:
    """The officials of the report's scope (filtered by state), at most OFFICIALS_SHOWN; total."""
    starts = [report.scope.id] if report.scope else report.audience.roots
    unit_ids = {
        i for s in starts if s in report.tree.units for i in report.tree.subtree(s)
    } & report.audience.members
    facts = counting.officials(report.rule, report.window, sorted(unit_ids))
    rows = []
    for f in facts:
        current = counting.state(report.rule, f)
        if state and current != state:
            continue
        unit = report.tree.units[f.unit_id]
        rows.append(
            OfficialRow(
                f.user_id, f.username, f.full_name, unit.code, unit.name, current,
                f.signed_in, missing_for(report, f), f.classes,
            )
        )  # fmt: skip
    return rows[:OFFICIALS_SHOWN], len(rows)


# --- Trend ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """The scope's rates at the end of one week."""

    day: date
    roster: int
    accessed: int
    trained: int

    @property
    def accessed_pct(self) -> float:
        return counting.pct(self.accessed, self.roster) or 0.0

    @property
    def trained_pct(self) -> float:
        return counting.pct(self.trained, self.roster) or 0.0


def week_days(starts: date, as_of: date) -> list[date]:
    """Every seventh day from the plan's first week's end to the as-of date, which ends it."""
    days, day = [], starts + timedelta(days=6)
    while day < as_of:
        days.append(day)
        day += timedelta(days=7)
    days.append(as_of)
    return days[-60:]


def trend(report: Report) -> list[TrendPoint]:
    """Both rates week by week, each week on its own tree and roster (one query)."""
    days = week_days(report.plan.starts, report.as_of)
    room_for_reports()
    query = counting.trend_query(report.plan.id, report.rule, report.plan.starts, days)
    counts = counting.trend_counts(db.session.execute(query), days)
    history = UnitHistory()
    points = []
    for day in days:
        tree = history.tree(day)
        aud = audience(report.plan, tree)
        units = _scope_units(report, tree, aud)
        per_unit = counts.get(day, {})
        roster = accessed = trained = 0
        for unit_id in units & aud.members:
            r, a, t = per_unit.get(unit_id, (0, 0, 0))
            roster, accessed, trained = roster + r, accessed + a, trained + t
        points.append(TrendPoint(day, roster, accessed, trained))
    return points


def _scope_units(report: Report, tree: Tree, aud: Audience) -> set[int]:
    if report.scope is None:
        return {i for root in aud.roots for i in tree.subtree(root)}
    if report.scope.id not in tree.units:
        return set()
    return set(tree.subtree(report.scope.id))


def units_behind(report: Report, limit: int = 5) -> list[UnitRow]:
    """The units with a roster furthest behind the trained target, then the access target."""
    rows = [r for r in report.rows if r.depth > 0 and not r.has_children and r.counts.roster]
    rows.sort(key=lambda r: (r.trained_pct or 0.0, r.accessed_pct or 0.0, r.code))
    return rows[:limit]


@dataclass
class ReportPage:
    """Everything the report page shows besides the rows: the officials, the weekly trend."""

    report: Report
    people: list[OfficialRow]
    people_total: int
    points: list[TrendPoint]
    behind: list[UnitRow]
    listed: bool = True  # False: too many officials in scope to list; pick a unit

def report_page(
    slug: str,
    as_of: str | None,
    unit_code: str | None,
    state: str | None,
    *,
    within: Unit | None = None,
    restricted: bool = False,
) -> ReportPage:
    """The report page's content (what the view renders); ReportError for bad input."""
    report = compliance(slug, as_of, unit_code, within=within, restricted=restricted)
    if report.total.roster > LISTED_ROSTER:
        return ReportPage(report, [], report.total.roster, trend(report), units_behind(report),
                          listed=False)  # fmt: skip
    people, total = official_rows(report, state if state in counting.STATES else None)
    return ReportPage(report, people, total, trend(report), units_behind(report))
