"""An official's own progress: the plans that apply to them, what is done and what is missing.

The same definitions as the report (`counting`), for one person: /me and the home page read
these. The dashboards of admins, focal points and trainers are here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from ..lessons import service as lesson_service
from ..org import service as org_service
from ..quiz.models import SUBMITTED, Attempt, Quiz
from ..quiz.quizzes.service import list_quizzes
from ..tracking import events
from . import counting, service
from .counting import Rule, Window
from .details import Missing, missing_for, step, units_behind
from .models import Plan
from .report import Report, build
from .tree import UnitHistory, audience


@dataclass
class MyPlan:
    """One plan that applies to me, with where I stand as of today (or its end)."""

    plan: Plan
    as_of: date
    state: str
    steps_total: int
    steps_done: int
    missing: list[Missing]
    done: list[Missing]
    days_left: int
    classes: tuple[counting.AttendedClass, ...] = ()
    """Serving classes I attended in the plan's window (trained through a class)."""
    serving: int = 0
    """How many classes serve the plan (attending one of them also trains)."""

    @property
    def percent(self) -> int:
        """How far along, in whole percent (0–100)."""
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def state_label(self) -> str:
        return counting.STATES[self.state]

    @property
    def next_step(self) -> Missing | None:
        """The first thing still to do (open or complete a lesson, read a document, the quiz)."""
        return self.missing[0] if self.missing else None


def _steps(report_like: Report, facts: counting.OfficialFacts | None) -> tuple[list, list]:
    reqs = report_like.requirements
    all_steps = [step(m, "open") for m in reqs.materials]
    if facts is not None and facts.classes:
        # Trained through a class: completing the lessons and the quiz are no longer steps.
        missing = missing_for(report_like, facts)
        return missing, [s for s in all_steps if s not in missing]
    all_steps += [step(m, "complete") for m in reqs.lessons]
    if reqs.quiz_named:
        quiz = reqs.quiz
        all_steps.append(
            Missing(quiz.title if quiz else "", f"/quizzes/{quiz.slug}" if quiz else "", "quiz")
        )
    if facts is None:
        return all_steps, []
    missing = missing_for(report_like, facts)
    done = [step for step in all_steps if step not in missing]
    # Finishing a lesson comes right after opening it: order what is missing that way.
    order = {(s.url, s.what): i for i, s in enumerate(_study_order(all_steps))}
    missing.sort(key=lambda s: order.get((s.url, s.what), 0))
    return missing, done


def _study_order(steps: list[Missing]) -> list[Missing]:
    ordered: list[Missing] = []
    for item in steps:
        if item.what == "open":
            ordered.append(item)
            ordered += [s for s in steps if s.what == "complete" and s.url == item.url]
    ordered += [s for s in steps if s.what == "quiz"]
    return ordered


@dataclass
class _OneReport:
    """What missing_for needs of a report, for one official."""

    plan: Plan
    requirements: service.Requirements


def my_plans(user: User, today: date | None = None) -> list[MyPlan]:
    """The plans whose audience I am in today (started ones), with my progress in each."""
    today = today or local_today()
    membership = org_service.current_membership(user, today)
    if membership is None or not user.has_role("official"):
        return []
    history = None
    out = []
    for plan in service.list_plans():
        if plan.starts > today:
            continue
        as_of = min(today, plan.ends)
        history = history or UnitHistory()
        tree = history.tree(as_of)
        if membership.unit_id not in audience(plan, tree).members:
            continue
        reqs = service.requirements(plan)
        rule = Rule.of(reqs, counting.serving_classes(plan))
        facts = counting.officials(
            rule, Window.of(plan.starts, as_of), [membership.unit_id], user.id
        )
        mine = facts[0] if facts else None
        one = _OneReport(plan, reqs)
        missing, done = _steps(one, mine)  # type: ignore[arg-type]
        out.append(
            MyPlan(
                plan=plan,
                as_of=as_of,
                state=counting.state(rule, mine) if mine else counting.NOT_STARTED,
                steps_total=len(missing) + len(done),
                steps_done=len(done),
                missing=missing,
                done=done,
                days_left=(plan.ends - today).days,
                classes=mine.classes if mine else (),
                serving=len(rule.classes),
            )
        )
    out.sort(key=lambda p: (p.days_left < 0, p.plan.ends))
    return out


def my_attempts(user_id: int, limit: int = 10) -> list[tuple[Attempt, Quiz]]:
    """My latest submitted quiz attempts."""
    rows = db.session.execute(
        select(Attempt, Quiz)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user_id, Attempt.status == SUBMITTED)
        .order_by(Attempt.submitted_at.desc())
        .limit(limit)
    )
    return [(attempt, quiz) for attempt, quiz in rows]


def continue_where_left(user_id: int, plans: list[MyPlan]) -> Missing | None:
    """The lesson I opened last and have not completed; else my first next step."""
    unfinished = {s.lesson_id: s for p in plans for s in p.missing if s.what == "complete"}
    if unfinished:
        refs = [events.Ref(events.LESSON, i) for i in unfinished if i is not None]
        last = events.last_reached(user_id, refs)
        if last is not None:
            return unfinished[last.id]
    for p in plans:
        if p.next_step is not None:
            return p.next_step
    return None


# --- Dashboards -------------------------------------------------------------------------------


def official_panel(user: User) -> dict | None:
    """An official's plans and next lesson."""
    plans = my_plans(user)
    if not plans:
        return None
    return {"plans": plans, "next": continue_where_left(user.id, plans)}


def _scorecards(plans: list[Plan], *, within=None, restricted=False) -> list[dict]:
    cards = []
    today = local_today()
    for plan in plans:
        report = build(plan, min(today, plan.ends), within=within, restricted=restricted)
        cards.append({"report": report, "behind": units_behind(report, 5)})
    return cards


def admin_panel(user: User) -> dict | None:
    """The province scorecard for the current plans, with the units furthest behind."""
    plans = service.current_plans(local_today())
    return {"cards": _scorecards(plans), "plans": plans}


def focal_panel(user: User) -> dict | None:
    """A focal point's own unit against the current plans."""
    if user.has_role("admin"):
        return None
    unit = service.focal_unit(user.id)
    plans = service.current_plans(local_today())
    cards = _scorecards(plans, within=unit, restricted=True) if unit is not None else []
    return {"unit": unit, "cards": cards}


def trainer_panel(user: User) -> dict | None:
    """A trainer's modules and quizzes."""
    modules = lesson_service.modules_with_progress(user.id, include_empty=True)
    return {"modules": modules, "quizzes": list_quizzes()}
