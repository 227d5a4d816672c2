"""/reports/classes and the class clause of the compliance report equal a plain Python count,
for random classes, sessions, rosters and attendance.

Each example writes its own units, module, plan, officials and classes (names prefixed by the
example's number): with the plan chosen, only its serving classes count; without it, the
report is asked for the example's own province. Officials move between units, some have no
unit, some are not officials; sessions fall around the plan's start, the period's edges and
later today (not yet held); attendance is recorded for people off the roster too.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_learn.auth.models import User, UserRole
from cchc_learn.classes import outcome
from cchc_learn.classes.models import Attendance, ClassParticipant, ClassSession, TrainingClass
from cchc_learn.clock import LOCAL_TZ, set_clock
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.lessons.models import Lesson, Module
from cchc_learn.org.models import Membership, Unit, UnitLink
from cchc_learn.plans.class_report import build
from cchc_learn.plans.details import trend
from cchc_learn.plans.models import Plan
from cchc_learn.plans.report import compliance
from cchc_learn.reports.period import Period

FOUNDED = date(2025, 7, 1)
FIRST = date(2025, 12, 1)
TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)  # 19:00 in Vietnam
UNITS = [("R", None), ("A", 0), ("A1", 1), ("B", 0)]
STATUSES = ["present", "present", "late", "absent", "excused", None]
_counter = itertools.count(1)

days = st.integers(0, (TODAY - FIRST).days).map(lambda n: FIRST + timedelta(days=n))


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)


@dataclass
class World:
    people: list[dict] = field(default_factory=list)
    classes: list[dict] = field(default_factory=list)
    starts: date = date(2026, 1, 1)
    first: date = FIRST
    last: date = TODAY


@st.composite
def worlds(draw) -> World:
    w = World()
    w.starts = draw(st.sampled_from([date(2026, 1, 1), date(2026, 3, 15)]))
    # A few days for everything to happen on, so that sessions, moves, the plan's start and the
    # period's edges fall on the same days (where an off-by-one window goes wrong).
    pool = draw(st.lists(days, min_size=1, max_size=5))
    pool += [TODAY, w.starts, w.starts - timedelta(days=1)]
    on = st.sampled_from(pool)
    for _ in range(draw(st.integers(1, 6))):
        unit = draw(st.one_of(st.none(), st.integers(0, len(UNITS) - 1)))
        person = {"official": draw(st.integers(0, 5)) > 0, "memberships": []}
        if unit is not None:
            person["memberships"] = [(unit, FOUNDED, None)]
            if draw(st.booleans()):
                moved = draw(on | days)
                then = draw(st.one_of(st.none(), st.integers(0, len(UNITS) - 1)))
                person["memberships"] = [(unit, FOUNDED, moved - timedelta(days=1))]
                if then is not None:
                    person["memberships"].append((then, moved, None))
        w.people.append(person)
    who = st.integers(0, len(w.people) - 1)
    # 00:00 and 23:00 are the edges of a Vietnamese day; 20:00 today is after now (not held).
    hours = st.sampled_from([0, 7, 14, 20, 23])
    for _ in range(draw(st.integers(1, 4))):
        sessions = draw(st.lists(st.tuples(on, hours), min_size=1, max_size=3))
        if draw(st.integers(0, 2)) == 0:
            sessions.append((TODAY, 20))
        roster = sorted(set(draw(st.lists(who, min_size=1, max_size=5))))
        marks = {}
        for person in roster:
            for k in range(len(sessions)):
                marks[(person, k)] = draw(st.sampled_from(STATUSES))
        for person, k in draw(st.lists(st.tuples(who, st.integers(0, 2)), max_size=2)):
            if k < len(sessions) and (person, k) not in marks:
                marks[(person, k)] = draw(st.sampled_from(STATUSES[:-1]))  # off the roster
        w.classes.append({
            "modules": draw(st.sampled_from([["m"], ["m"], ["m", "x"], ["x"], []])),
            "plans": draw(st.sampled_from([[], ["plan"], ["other"]])),
            "min_percent": draw(st.sampled_from([100, 50, 34, 1])),
            "sessions": sessions, "roster": roster, "marks": marks,
        })
    near = st.tuples(on, st.sampled_from([0, 0, 1, -1])).map(
        lambda t: min(TODAY, max(FIRST, t[0] + timedelta(days=t[1]))))
    w.first, w.last = sorted([draw(near | days | st.just(TODAY)), draw(near | st.just(FIRST))])
    return w


def write(w: World, n: int) -> dict:
    declare_write()
    units = []
    for code, parent in UNITS:
        unit = Unit(code=f"P{n}-{code}", name=f"Đơn vị {code}", level="commune",
                    parent=units[parent] if parent is not None else None, valid_from=FOUNDED)
        db.session.add(unit)
        units.append(unit)
    db.session.flush()
    for unit, (_, parent) in zip(units, UNITS, strict=True):
        db.session.add(UnitLink(unit_id=unit.id, valid_from=FOUNDED,
                                parent_id=units[parent].id if parent is not None else None))
    users = []
    for k, person in enumerate(w.people):
        user = User(username=f"p{n}-cb{k}", full_name=f"Cán bộ {k}", password_hash="x")
        user.role_links = [UserRole(role="official" if person["official"] else "trainer")]
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for user, person in zip(users, w.people, strict=True):
        for unit, start, end in person["memberships"]:
            db.session.add(Membership(user_id=user.id, unit_id=units[unit].id,
                                      valid_from=start, valid_to=end))
    module = Module(slug=f"p{n}-m", title="M", summary="", topics=[], order=1, audience=[],
                    published=True)
    module.lessons = [Lesson(slug="l", position=1, title="Bài", body_md="", body_html="",
                             published=True)]
    db.session.add(module)
    slug = f"p{n}-ke-hoach"
    db.session.add(Plan(slug=slug, title="P", starts=w.starts, ends=date(2026, 12, 31),
                        audience_units=[f"P{n}-R"], audience_levels=[],
                        required_modules=[module.slug], required_lessons=[],
                        required_documents=[], quiz_slug=None, target_accessed=100,
                        target_trained=85))
    names = {"m": module.slug, "x": f"p{n}-x", "plan": slug, "other": f"p{n}-khac"}
    for spec in w.classes:
        klass = TrainingClass(title=f"Lớp {n}", module_slugs=[names[m] for m in spec["modules"]],
                              plan_slugs=[names[p] for p in spec["plans"]],
                              min_percent=spec["min_percent"])
        db.session.add(klass)
        db.session.flush()
        sessions = []
        for day, hour in spec["sessions"]:
            start = local(day, hour)
            sessions.append(ClassSession(class_id=klass.id, starts_at=start,
                                         ends_at=start + timedelta(hours=1)))
        db.session.add_all(sessions)
        db.session.flush()
        spec["id"], spec["session_ids"] = klass.id, [s.id for s in sessions]
        for person in spec["roster"]:
            db.session.add(ClassParticipant(class_id=klass.id, user_id=users[person].id))
        for (person, k), status in spec["marks"].items():
            if status is not None:
                db.session.add(Attendance(session_id=sessions[k].id, user_id=users[person].id,
                                          status=status))
        db.session.flush()
        outcome.refresh(klass)
    db.session.commit()
    return {"slug": slug, "units": units}


# --- The plain count --------------------------------------------------------------------------


def unit_on(person: dict, day: date) -> int | None:
    return next((u for u, start, end in person["memberships"]
                 if start <= day and (end is None or day <= end)), None)


def chain(unit: int) -> list[int]:
    out = [unit]
    while UNITS[out[-1]][1] is not None:
        out.append(UNITS[out[-1]][1])
    return out


def attended_on(spec: dict, person: int) -> date | None:
    order = sorted(range(len(spec["sessions"])),
                   key=lambda k: (local(*spec["sessions"][k]), spec["session_ids"][k]))
    n = len(order)
    if not n:
        return None
    needed = max(1, math.ceil(spec["min_percent"] * n / 100))
    reached = [k for k in order if spec["marks"].get((person, k)) in ("present", "late")]
    if len(reached) < needed:
        return None
    return local(*spec["sessions"][reached[needed - 1]]).astimezone(LOCAL_TZ).date()


def serves(spec: dict) -> bool:
    return "plan" in spec["plans"] or "m" in spec["modules"]


def expected(w: World, *, plan: bool, scoped: bool):
    """(classes, participations, people, present, expected, trained) per unit index (None:
    no unit) and per class, and the total."""
    start = local(w.first, 0)
    end = min(local(w.last + timedelta(days=1), 0), NOW)
    own = {u: [set(), 0, set(), 0, 0, set()] for u in [*range(len(UNITS)), None]}
    per_class, involved = {}, set()
    for i, spec in enumerate(w.classes):
        if plan and not serves(spec):
            continue
        held = [k for k, (d, h) in enumerate(spec["sessions"]) if start <= local(d, h) < end]
        if not held:
            continue
        line = per_class[i] = [0, 0, 0, 0]  # participations, present, expected, trained
        for person in spec["roster"]:
            unit = unit_on(w.people[person], w.last)
            if scoped and unit is None:
                continue
            own[unit][0].add(i)
            involved.add(i)
            day = attended_on(spec, person)
            if day is not None and w.first <= day <= w.last:
                own[unit][1] += 1
                own[unit][2].add(person)
                line[0] += 1
        pairs = {(k, p) for k in held for p in spec["roster"]}
        pairs |= {(k, p) for (p, k), status in spec["marks"].items()
                  if status is not None and k in held}
        for k, person in pairs:
            unit = unit_on(w.people[person], w.last)
            if scoped and unit is None:
                continue
            present = spec["marks"].get((person, k)) in ("present", "late")
            own[unit][0].add(i)
            involved.add(i)
            own[unit][3] += present
            own[unit][4] += 1
            line[1] += present
            line[2] += 1
    trained_people = set()
    if plan:
        for i, spec in enumerate(w.classes):
            if not serves(spec):
                continue
            for person in spec["roster"]:
                day = attended_on(spec, person)
                unit = unit_on(w.people[person], w.last)
                if (day is None or not (w.starts <= day <= w.last) or unit is None
                        or not w.people[person]["official"]):
                    continue
                trained_people.add(person)
                if i in per_class:
                    per_class[i][3] += 1
        for person in trained_people:
            own[unit_on(w.people[person], w.last)][5].add(person)

    def rolled(unit):
        kids = [k for k, (_, parent) in enumerate(UNITS) if parent == unit]
        parts = [own[unit], *(rolled(k) for k in kids)]
        return [set().union(*(p[0] for p in parts)), sum(p[1] for p in parts),
                set().union(*(p[2] for p in parts)), sum(p[3] for p in parts),
                sum(p[4] for p in parts), set().union(*(p[5] for p in parts))]

    def shape(f):
        return (len(f[0]), f[1], len(f[2]), f[3], f[4], len(f[5]))

    units = {u: shape(rolled(u)) for u in range(len(UNITS))}
    total = rolled(0)
    if not scoped:
        units[None] = shape(own[None])
        total = [total[0] | own[None][0], total[1] + own[None][1], total[2] | own[None][2],
                 total[3] + own[None][3], total[4] + own[None][4], total[5] | own[None][5]]
    # Scoped to a unit, a class is listed when someone of the scope took part.
    classes = {w.classes[i]["id"]: tuple(v) for i, v in per_class.items()
               if not scoped or i in involved}
    return units, classes, shape(total), len(trained_people)


def got(report, codes):
    def shape(f):
        assert f.rate is None or 0 <= f.rate <= 1
        return (f.classes, f.participations, f.people, f.present, f.expected, f.trained)

    units = {codes[line.code]: shape(line.figures) for line in report.units
             if line.code in codes}  # other examples' units hold none of these classes
    classes = {line.class_id: (line.figures.participations, line.figures.present,
                               line.figures.expected, line.figures.trained)
               for line in report.classes}  # fmt: skip
    return units, classes, shape(report.total)


@pytest.fixture
def fixed_now():
    set_clock(lambda: NOW)
    yield
    set_clock(None)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(w=worlds())
def test_the_classes_report_and_the_trained_count_match_a_plain_count(app, fixed_now, w):
    with app.app_context():
        n = next(_counter)
        written = write(w, n)
        codes = {u.code: i for i, u in enumerate(written["units"])}
        codes[""] = None
        period = Period(w.first, w.last)
        plan = db.session.scalar(db.select(Plan).where(Plan.slug == written["slug"]))

        units, classes, total, trained = expected(w, plan=True, scoped=False)
        report = build(period, plan=plan)
        shown_units, shown_classes, shown_total = got(report, codes)
        assert {k: v for k, v in shown_units.items() if k is not None} == {
            k: v for k, v in units.items() if k is not None}
        assert shown_units.get(None, (0, 0, 0, 0, 0, 0)) == units[None]  # shown when any
        assert shown_classes == classes
        assert shown_total == total
        if w.last >= w.starts:
            report = compliance(written["slug"], w.last)
            assert report.total.trained == trained == total[5]
            # The weekly trend (one query, attended days as "since") says what each day's does.
            for point in trend(report)[-4:]:
                assert point.trained == compliance(written["slug"], point.day).total.trained
        else:
            assert trained == total[5] == 0

        units, classes, total, _ = expected(w, plan=False, scoped=True)
        report = build(period, unit=written["units"][0])
        shown_units, shown_classes, shown_total = got(report, codes)
        assert shown_units == units
        assert shown_classes == classes
        assert shown_total == total
        db.session.remove()
