"""The compliance report of a plan as of a date, per unit rolled up the tree of that date.

Counting follows `counting` (the definitions); this module places the counts on the unit tree
of the as-of date (`tree`), checks who may see which unit, and shapes rows for pages, exports
and JSON. A report is a fixed number of queries: units, links, the plan's materials, one
aggregate. The page's drill-down and trend are in `details`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..clock import local_today
from ..database import room_for_reports
from ..extensions import db
from ..org.models import Unit
from ..timefmt import vn_date
from . import counting, reached
from .counting import Counts, Rule, Window
from .models import Plan
from .service import Requirements, get_plan, requirements
from .tree import Audience, Tree, UnitHistory, audience


class ReportError(ValueError):
    """A report that cannot be made (bad date, unknown plan or unit); the message is for users."""


class NotVisible(ReportError):
    """A unit outside what the reader may see (answered as not found)."""


# --- Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One unit of the report, rolled up over its subtree."""

    code: str
    name: str
    level: str
    parent_code: str | None
    depth: int
    counts: Counts
    target_accessed: float
    target_trained: float
    has_children: bool

    @property
    def accessed_pct(self) -> float | None:
        return counting.pct(self.counts.accessed, self.counts.roster)

    @property
    def trained_pct(self) -> float | None:
        return counting.pct(self.counts.trained, self.counts.roster)

    @property
    def accessed_target_met(self) -> bool | None:
        return counting.target_met(self.counts.accessed, self.counts.roster, self.target_accessed)

    @property
    def trained_target_met(self) -> bool | None:
        return counting.target_met(self.counts.trained, self.counts.roster, self.target_trained)

    def as_json(self) -> dict:
        """The row in the Contracts' shape."""
        c = self.counts
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent_code": self.parent_code,
            "roster": c.roster,
            "accessed": c.accessed,
            "trained": c.trained,
            "never_signed_in": c.never_signed_in,
            "accessed_pct": self.accessed_pct,
            "trained_pct": self.trained_pct,
            "accessed_target_met": self.accessed_target_met,
            "trained_target_met": self.trained_target_met,
            "classes": c.classes,
            "participations": c.participations,
        }


@dataclass
class Report:
    """A plan's report as of a date, for one scope (a unit, or the whole audience)."""

    plan: Plan
    as_of: date
    scope: Unit | None
    rows: list[UnitRow]
    total: Counts
    requirements: Requirements
    rule: Rule
    window: Window
    tree: Tree
    audience: Audience

    @property
    def top(self) -> list[UnitRow]:
        """The scope's own row(s): depth 0."""
        return [row for row in self.rows if row.depth == 0]

    def as_json(self) -> dict:
        """The Contracts' shape."""
        return {
            "plan": self.plan.slug,
            "as_of": self.as_of.isoformat(),
            "units": [row.as_json() for row in self.rows],
        }


def parse_as_of(text: str | None, plan: Plan, *, today: date | None = None) -> date:
    """Read an as-of date (YYYY-MM-DD; empty: today, or the plan's end when it is over)."""
    today = today or local_today()
    if not text:
        return min(today, plan.ends) if today >= plan.starts else plan.starts
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ReportError(f"Ngày báo cáo '{text[:20]}' không hợp lệ; viết YYYY-MM-DD.") from exc
    return check_as_of(day, plan, today=today)


def check_as_of(day: date, plan: Plan, *, today: date | None = None) -> date:
    """Refuse an as-of date before the plan starts or in the future."""
    today = today or local_today()
    if day < plan.starts:
        raise ReportError(
            f"Ngày báo cáo {vn_date(day)} trước ngày bắt đầu kế hoạch ({vn_date(plan.starts)})."
        )
    if day > today:
        raise ReportError(f"Ngày báo cáo {vn_date(day)} ở tương lai (hôm nay {vn_date(today)}).")
    return day


def find_plan(slug: str) -> Plan:
    """A live plan, or ReportError naming the slug."""
    plan = get_plan(slug)
    if plan is None:
        raise ReportError(f"Không có kế hoạch mã '{(slug or '')[:100]}'.")
    return plan


def _rolled(tree: Tree, aud: Audience, own: dict[int, Counts]) -> dict[int, Counts]:
    rolled: dict[int, Counts] = {}

    def total(unit_id: int) -> Counts:
        if unit_id not in rolled:
            base = own.get(unit_id, Counts()) if unit_id in aud.members else Counts()
            for child in tree.children.get(unit_id, []):
                if child in aud.shown:
                    base = base + total(child)
            rolled[unit_id] = base
        return rolled[unit_id]

    for unit_id in aud.shown:
        total(unit_id)
    return rolled


def _scope(
    history: UnitHistory, tree: Tree, aud: Audience, unit_code: str | None, within: Unit | None
) -> Unit | None:
    unit = None
    if unit_code:
        unit = history.by_code.get(unit_code.strip().lower())
        if unit is None:
            raise ReportError(f"Không tìm thấy đơn vị có mã '{unit_code[:32]}'.")
    if within is not None:
        if within.id not in tree.units:
            raise NotVisible(f"Đơn vị {within.code} không tồn tại vào ngày báo cáo.")
        unit = unit or within
        if unit.id not in tree.subtree(within.id):
            raise NotVisible(f"Đơn vị {unit.code} không thuộc phạm vi của bạn.")
    if unit is not None and unit.id not in tree.units:
        raise ReportError(f"Đơn vị {unit.code} không tồn tại vào ngày báo cáo.")
    if unit is not None and unit.id not in aud.shown:
        if within is not None and unit.id == within.id:
            return unit  # a focal point whose unit the plan does not cover: an empty report
        raise ReportError(f"Đơn vị {unit.code} không thuộc đối tượng của kế hoạch.")
    return unit


def _rows(
    tree: Tree, aud: Audience, rolled: dict[int, Counts], starts: list[int], plan: Plan
) -> list[UnitRow]:
    rows: list[UnitRow] = []

    def visit(unit_id: int, depth: int) -> None:
        unit = tree.units[unit_id]
        parent = tree.parents.get(unit_id)
        kids = [c for c in tree.children.get(unit_id, []) if c in aud.shown]
        rows.append(
            UnitRow(
                code=unit.code,
                name=unit.name,
                level=unit.level,
                parent_code=tree.units[parent].code if parent is not None else None,
                depth=depth,
                counts=rolled.get(unit_id, Counts()),
                target_accessed=plan.target_accessed,
                target_trained=plan.target_trained,
                has_children=bool(kids),
            )
        )
        for child in kids:
            visit(child, depth + 1)

    for start in starts:
        visit(start, 0)
    return rows


def build(
    plan: Plan,
    as_of: date,
    *,
    unit_code: str | None = None,
    within: Unit | None = None,
    restricted: bool = False,
) -> Report:
    """The report of plan as of a date, for a unit (or the whole audience).

    A restricted reader (a focal point) sees only the subtree of within, and nothing when
    within is None (no unit assigned yet).
    """
    history = UnitHistory()
    tree = history.tree(as_of)
    aud = audience(plan, tree)
    if restricted and within is None:
        if unit_code:
            raise NotVisible("Bạn chưa được giao đơn vị nào.")
        aud = Audience([], set(), set())
    scope = _scope(history, tree, aud, unit_code, within)
    reqs = requirements(plan)
    rule = Rule.of(reqs, counting.serving_classes(plan))
    window = Window.of(plan.starts, as_of)
    # Only the units the report shows are counted: the audience, or the asked unit's part of it.
    narrow = scope is not None and scope.id not in aud.roots
    counted = aud.members & set(tree.subtree(scope.id)) if scope is not None else aud.members
    if counted:
        reached.refresh(plan, rule)
    room_for_reports()
    own = {
        unit_id: Counts(roster, accessed, trained, never)
        for unit_id, roster, accessed, trained, never in db.session.execute(
            counting.unit_counts_query(plan.id, rule, window, counted, narrow=narrow)
        )
    } if counted else {}
    if rule.classes and counted:
        for unit_id, class_id, participations in db.session.execute(
            counting.unit_classes_query(rule, window)
        ):
            if unit_id not in counted:
                continue
            counts = own.get(unit_id, Counts())
            own[unit_id] = replace(counts, participations=counts.participations + participations,
                                   class_ids=counts.class_ids | {class_id})  # fmt: skip
    rolled = _rolled(tree, aud, own)
    if scope is None:
        starts = aud.roots
    elif scope.id in aud.shown:
        starts = [scope.id]
    else:
        starts = []
    rows = _rows(tree, aud, rolled, starts, plan)
    total = sum((rolled.get(i, Counts()) for i in starts), Counts())
    return Report(plan, as_of, scope, rows, total, reqs, rule, window, tree, aud)


def compliance(
    slug: str,
    as_of: str | date | None = None,
    unit_code: str | None = None,
    *,
    within: Unit | None = None,
    restricted: bool = False,
) -> Report:
    """Find the plan, read the date and build its report (what pages, API and CLI call)."""
    plan = find_plan(slug)
    day = check_as_of(as_of, plan) if isinstance(as_of, date) else parse_as_of(as_of, plan)
    return build(plan, day, unit_code=unit_code, within=within, restricted=restricted)
