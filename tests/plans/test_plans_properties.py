"""Every report row equals a plain Python count of the same definitions, for random histories.

Random unit trees (units that move and close), officials with dated memberships (who move),
deactivations, first sign-ins, views, downloads, completions and quiz attempts (some before the
plan starts, the year before or earlier in its first year); plans starting on 1 January or
mid-year; random as-of dates; the weekly trend against the reports of its days. Each example
writes its own units, materials and plan (codes prefixed by the example's number), so examples
share the database without seeing each other.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_learn.auth.models import User, UserRole
from cchc_learn.clock import LOCAL_TZ, set_clock
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Attachment, Document
from cchc_learn.lessons.models import Lesson, Module
from cchc_learn.org.models import Membership, Unit, UnitLink
from cchc_learn.plans.details import trend
from cchc_learn.plans.models import Plan
from cchc_learn.plans.report import compliance
from cchc_learn.quiz.models import Attempt, Quiz
from cchc_learn.textnorm import number_key
from cchc_learn.tracking import events

FOUNDED = date(2025, 7, 1)
STARTS = date(2026, 1, 1)
LAST = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
LEVELS = ("province", "department", "commune", "office")
_counter = itertools.count(1)


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour % 24), LOCAL_TZ).astimezone(UTC)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)


days = st.integers(min_value=0, max_value=(LAST - date(2025, 12, 1)).days).map(
    lambda n: date(2025, 12, 1) + timedelta(days=n)
)
# Midnight and the hour before it are where an off-by-one window goes wrong.
moments = st.tuples(days, st.sampled_from([0, 23]) | st.integers(0, 23)).map(lambda t: local(*t))


@dataclass
class History:
    """A random province and what its officials did."""

    units: list[dict] = field(default_factory=list)
    officials: list[dict] = field(default_factory=list)
    events: list[tuple[int, str, str, datetime]] = field(default_factory=list)
    attempts: list[tuple[int, bool, datetime]] = field(default_factory=list)
    audience: list[int] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    quiz: bool = True
    starts: date = STARTS
    as_of: list[date] = field(default_factory=list)


@st.composite
def histories(draw) -> History:
    h = History()
    n_units = draw(st.integers(2, 7))
    for i in range(n_units):
        unit = {"level": LEVELS[0] if i == 0 else draw(st.sampled_from(LEVELS[1:]))}
        unit["links"] = []
        if i > 0:
            first = draw(st.integers(0, i - 1))
            if draw(st.booleans()) and i > 1:
                moved = draw(days)
                second = draw(st.integers(0, i - 1))
                unit["links"] = [(first, FOUNDED, moved - timedelta(days=1)), (second, moved, None)]
            else:
                unit["links"] = [(first, FOUNDED, None)]
        unit["valid_to"] = draw(st.one_of(st.none(), days)) if i > 0 else None
        h.units.append(unit)
    for _ in range(draw(st.integers(1, 9))):
        start_unit = draw(st.integers(0, n_units - 1))
        person = {
            "official": draw(st.integers(0, 9)) > 0,
            "first_login": draw(st.one_of(st.none(), moments)),
            "deactivated": draw(st.one_of(st.none(), st.none(), moments)),
            "memberships": [(start_unit, FOUNDED, None)],
        }
        if draw(st.booleans()):
            moved = draw(days)
            person["memberships"] = [
                (start_unit, FOUNDED, moved - timedelta(days=1)),
                (draw(st.integers(0, n_units - 1)), moved, None),
            ]
        h.officials.append(person)
    people = st.integers(0, len(h.officials) - 1)
    # A yearly plan (1 January), or one starting mid-year: accesses earlier in its first year
    # then do not count, those after its start do (the summary keeps one row per year).
    h.starts = draw(st.sampled_from([STARTS]) | st.integers(1, 120).map(
        lambda n: STARTS + timedelta(days=n)))  # fmt: skip

    def near_start(low: int, high: int):
        day = st.integers(low, high).map(lambda n: min(LAST, h.starts + timedelta(days=n)))
        return st.tuples(day, st.sampled_from([0, 23]) | st.integers(0, 23)).map(
            lambda t: local(*t))  # fmt: skip

    what = st.sampled_from([
        ("view", "l0"), ("view", "l1"), ("view", "doc"), ("download", "file"),
        ("complete", "l0"), ("complete", "l1"),
    ])  # fmt: skip
    for who, (action, material), when in draw(
        st.lists(st.tuples(people, what, moments), max_size=40)
    ):
        h.events.append((who, action, material, when))
    # Someone who does everything soon after the start, and some of it before as well.
    if draw(st.integers(0, 3)) > 0:
        who = draw(people)
        for action, material in [("view", "l0"), ("view", "l1"), ("view", "doc"),
                                 ("download", "file"), ("complete", "l0"), ("complete", "l1")]:
            times = [draw(near_start(0, 30))] + draw(st.lists(near_start(-45, -1), max_size=1))
            for when in times:
                h.events.append((who, action, material, when))
    # Coming back to something done earlier.
    if h.events:
        for k, when in draw(st.lists(st.tuples(st.integers(0, len(h.events) - 1), moments),
                                     max_size=6)):  # fmt: skip
            h.events.append((*h.events[k][:3], when))
    h.attempts = draw(st.lists(st.tuples(people, st.booleans(), moments), max_size=6))
    h.audience = sorted(set(draw(st.lists(st.integers(0, n_units - 1), min_size=1, max_size=2))))
    h.levels = draw(st.sampled_from([[], ["commune"], ["commune", "office"]]))
    h.quiz = draw(st.booleans())
    # As-of dates on the days things happened catch off-by-one windows; others, anything.
    moments_seen = [when for *_, when in h.events] + [when for *_, when in h.attempts]
    moments_seen += [p[k] for p in h.officials for k in ("first_login", "deactivated") if p[k]]
    happened = sorted(
        {w.astimezone(LOCAL_TZ).date() for w in moments_seen}
        | {frm for p in h.officials for _, frm, _ in p["memberships"]}
        | {u["valid_to"] for u in h.units if u["valid_to"]}
        | {frm for u in h.units for _, frm, _ in u["links"]}
    )
    happened = [d - timedelta(days=back) for d in happened for back in (0, 1)]
    happened = sorted({d for d in happened if h.starts <= d <= LAST})
    any_day = st.integers(0, (LAST - h.starts).days).map(lambda n: h.starts + timedelta(days=n))
    chosen = st.sampled_from(happened) | any_day if happened else any_day
    h.as_of = draw(st.lists(chosen, min_size=1, max_size=3))
    return h


def write(h: History, n: int) -> dict:
    """Write the history with codes prefixed by n; return the plan's slug and the unit codes."""
    declare_write()
    code = [f"E{n}-U{i}" for i in range(len(h.units))]
    units = []
    for i, spec in enumerate(h.units):
        parent = units[spec["links"][-1][0]] if spec["links"] else None
        unit = Unit(code=code[i], name=f"Đơn vị {code[i]}", level=spec["level"],
                    parent=parent, valid_from=FOUNDED, valid_to=spec["valid_to"])  # fmt: skip
        db.session.add(unit)
        units.append(unit)
    db.session.flush()
    for i, spec in enumerate(h.units):
        links = spec["links"] or [(None, FOUNDED, None)]
        for parent, start, end in links:
            db.session.add(UnitLink(unit_id=units[i].id,
                                    parent_id=units[parent].id if parent is not None else None,
                                    valid_from=start, valid_to=end))  # fmt: skip
    users = []
    for k, person in enumerate(h.officials):
        user = User(username=f"e{n}-cb{k}", full_name=f"Cán bộ {k}", password_hash="x",
                    first_login_at=person["first_login"], last_login_at=person["first_login"],
                    active=person["deactivated"] is None,
                    deactivated_at=person["deactivated"])  # fmt: skip
        user.role_links = [UserRole(role="official" if person["official"] else "trainer")]
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for user, person in zip(users, h.officials, strict=True):
        for unit, start, end in person["memberships"]:
            db.session.add(Membership(user_id=user.id, unit_id=units[unit].id,
                                      valid_from=start, valid_to=end))  # fmt: skip
    module = Module(slug=f"e{n}-m", title="M", summary="", topics=[], order=1, audience=[],
                    published=True)  # fmt: skip
    module.lessons = [
        Lesson(slug=f"l{i}", position=i, title=f"Bài {i}", body_md="", body_html="",
               published=True)  # fmt: skip
        for i in range(2)
    ]
    number = f"{n}/QĐ-TEST"
    doc = Document(slug=f"e{n}-doc", number=number, number_key=number_key(number),
                   doc_type="Quyết định", issuer="X", issued=FOUNDED, summary="S")  # fmt: skip
    doc.attachments = [Attachment(title="F", original_name="f.pdf", stored_name=f"e{n}.pdf",
                                  content_type="application/pdf", size=1, sha256="0" * 64)]
    quiz = Quiz(slug=f"e{n}-quiz", title="Q", draws=[])
    db.session.add_all([module, doc, quiz])
    db.session.flush()
    ids = {"l0": ("lesson", module.lessons[0].id), "l1": ("lesson", module.lessons[1].id),
           "doc": ("document", doc.id), "file": ("attachment", doc.attachments[0].id)}
    # Half the events before the plan's first report (which keeps its progress), half after
    # (their officials' kept progress is recomputed by the next report).
    half = len(h.events) // 2
    later = h.events[half:]
    for who, action, material, when in h.events[:half]:  # through the one writer
        kind, object_id = ids[material]
        access = events.Access(events.Ref(kind, object_id), 1, action)
        events.record(users[who].id, access, at=when)
    for k, (who, passed, when) in enumerate(h.attempts):
        db.session.add(Attempt(quiz_id=quiz.id, user_id=users[who].id, number=k + 1, seed=1,
                               status="submitted", started_at=when, submitted_at=when,
                               score=1.0, max_score=1.0, passed=passed))  # fmt: skip
    slug = f"e{n}-ke-hoach"
    db.session.add(Plan(slug=slug, title="P", starts=h.starts, ends=date(2026, 12, 31),
                        audience_units=[code[i] for i in h.audience], audience_levels=h.levels,
                        required_modules=[module.slug], required_lessons=[],
                        required_documents=[number], quiz_slug=quiz.slug if h.quiz else None,
                        target_accessed=100, target_trained=85))  # fmt: skip
    db.session.commit()
    compliance(slug, h.as_of[0])
    declare_write()
    for who, action, material, when in later:
        kind, object_id = ids[material]
        access = events.Access(events.Ref(kind, object_id), 1, action)
        events.record(users[who].id, access, at=when)
    db.session.commit()
    return {"slug": slug, "codes": code}


def expected(h: History, codes: list[str], as_of: date) -> dict[str, tuple[int, int, int, int]]:
    """The definitions of plans/counting.py, counted by hand."""
    start, end = day_start(h.starts), day_start(as_of + timedelta(days=1))

    def alive(i: int) -> bool:
        to = h.units[i]["valid_to"]
        return to is None or as_of <= max(to, FOUNDED)

    def parent(i: int) -> int | None:
        for p, frm, to in h.units[i]["links"]:
            if frm <= as_of and (to is None or as_of <= to):
                return p if alive(p) else None
        return None

    def chain(i: int) -> list[int]:
        out = [i]
        while (p := parent(out[-1])) is not None:
            out.append(p)
        return out

    named = {i for i in h.audience if alive(i)}
    below = {i for i in range(len(h.units)) if alive(i) and named & set(chain(i))}
    members = {i for i in below if not h.levels or h.units[i]["level"] in h.levels}
    rows = {codes[i]: [0, 0, 0, 0] for i in below}
    for k, person in enumerate(h.officials):
        if not person["official"]:
            continue
        if person["deactivated"] is not None and person["deactivated"] < end:
            continue
        unit = next((u for u, frm, to in person["memberships"]
                     if frm <= as_of and (to is None or as_of <= to)), None)  # fmt: skip
        if unit is None or unit not in members:
            continue
        in_window = [(a, m) for who, a, m, when in h.events if who == k and start <= when < end]
        opened = {("doc" if m == "file" else m) for a, m in in_window if a in ("view", "download")}
        done = {m for a, m in in_window if a == "complete"}
        passed = any(who == k and ok and start <= when < end for who, ok, when in h.attempts)
        accessed = opened >= {"l0", "l1", "doc"}
        trained = done >= {"l0", "l1"} and (passed or not h.quiz)
        never = person["first_login"] is None or person["first_login"] >= end
        for i in chain(unit):
            if i in below:
                row = rows[codes[i]]
                row[0] += 1
                row[1] += accessed
                row[2] += trained
                row[3] += never
    return {code: tuple(v) for code, v in rows.items()}


@pytest.fixture
def fixed_now():
    set_clock(lambda: NOW)
    yield
    set_clock(None)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(h=histories())
def test_every_row_matches_a_plain_count(app, fixed_now, h):
    with app.app_context():
        written = write(h, next(_counter))
        for as_of in h.as_of:
            report = compliance(written["slug"], as_of)
            got = {
                row["code"]: (row["roster"], row["accessed"], row["trained"],
                              row["never_signed_in"])
                for row in report.as_json()["units"]
            }  # fmt: skip
            assert got == expected(h, written["codes"], as_of), as_of
            for row in report.as_json()["units"]:
                for key in ("accessed_pct", "trained_pct"):
                    assert row[key] is None or 0 <= row[key] <= 100
        # The trend (one query for every week) says what the report of each of its days says.
        report = compliance(written["slug"], h.as_of[0])
        for point in trend(report):
            total = compliance(written["slug"], point.day).total
            assert (point.roster, point.accessed, point.trained) == (
                total.roster, total.accessed, total.trained), point.day  # fmt: skip
        db.session.remove()
