"""The plan progress a report keeps (`plans/reached.py`): fresh after events, rebuilt after a
change of requirements, untouched when nothing changed, and never missing a late commit."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from helpers import make_unit, make_user
from plan_world import (
    at,
    fixed_clock,  # noqa: F401 - autouse: the clock of every test here
    make_materials,
    make_plan,
    record,
    view_all,
)
from sqlalchemy import event, func, insert, select, text

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.plans.models import Plan, PlanProgress, PlanProgressRule, ProgressStale
from cchc_learn.plans.report import compliance
from cchc_learn.tracking import events
from cchc_learn.tracking.models import AccessEvent


def world(app) -> tuple[dict[str, int], int, int]:
    make_unit(app, "TINH", "UBND tỉnh", "province", valid_from=date(2025, 7, 1))
    make_unit(app, "XA1", "Xã Một", "commune", parent="TINH", valid_from=date(2025, 7, 1))
    make_user(app, "quantri", roles=("admin",), unit="TINH")
    a = make_user(app, "cb-a", unit="XA1")
    b = make_user(app, "cb-b", unit="XA1")
    ids = make_materials(app)
    make_plan(app, quiz=False)
    return ids, a, b


def accessed(app, as_of: str = "2026-06-30") -> int:
    with app.app_context():
        return compliance("ke-hoach-thu", as_of).total.accessed


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_events_after_a_report_count_in_the_next_one(app):
    ids, a, b = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)))
    assert accessed(app) == 1
    assert count(app, ProgressStale) == 0 and count(app, PlanProgress) == 1
    view_all(app, b, ids, at(date(2026, 4, 1)))
    assert count(app, ProgressStale) == 1  # b, marked by the database
    assert accessed(app) == 2
    assert accessed(app, "2026-03-31") == 1  # b reached everything on 1 April
    assert count(app, ProgressStale) == 0
    with app.app_context():
        kept = dict(db.session.execute(
            select(PlanProgress.user_id, PlanProgress.accessed_at)).all())  # fmt: skip
    assert kept[b] == at(date(2026, 4, 1))


def test_an_event_written_outside_the_application_is_counted(app):
    ids, a, _ = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)), lessons=("l1",))
    assert accessed(app) == 0
    with app.app_context():
        db.session.execute(insert(AccessEvent).values(
            user_id=a, object_type="lesson", object_id=ids["l2"], action="view",
            at=at(date(2026, 5, 5)), version=1))  # fmt: skip
        db.session.commit()
    assert accessed(app) == 1
    assert accessed(app, "2026-05-04") == 0


def test_a_change_of_requirements_rebuilds_the_plan(app):
    ids, a, _ = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)), lessons=("l1",))
    record(app, a, events.lesson_view(ids["l2"], 1), at(date(2026, 3, 1)))
    assert accessed(app) == 1
    with app.app_context():
        first_key = db.session.scalar(select(PlanProgressRule.rule_key))
    # A third lesson published in the required module: nobody has opened it yet.
    with app.app_context():
        declare_write()
        from cchc_learn.lessons.models import Lesson
        db.session.add(Lesson(module_id=db.session.scalar(select(Lesson.module_id)), slug="l3",
                              position=3, title="Bài 3", minutes=5, body_md="x",
                              body_html="<p>x</p>", published=True))  # fmt: skip
        db.session.commit()
    assert accessed(app) == 0
    with app.app_context():
        assert db.session.scalar(select(PlanProgressRule.rule_key)) != first_key
        # A plan that starts later: the views of 1 March no longer count.
        declare_write()
        db.session.scalar(select(Plan)).starts = date(2026, 4, 1)
        db.session.commit()
    assert accessed(app) == 0
    assert count(app, PlanProgress) == 0


def test_a_report_with_nothing_new_writes_nothing(app):
    ids, a, _ = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)))
    assert accessed(app) == 1
    written: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            written.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert accessed(app) == 1
        assert accessed(app, "2026-02-28") == 0
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert written == []


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_event_committing_during_a_refresh_is_not_lost(app):
    """The official is already marked stale; their next event is in flight while a report
    takes the marks away. The report waits for that event's commit, then counts it."""
    ids, a, _ = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)), lessons=("l1",))
    assert accessed(app) == 0
    record(app, a, events.lesson_view(ids["l1"], 1), at(date(2026, 3, 2)))  # a is stale now
    in_flight, failures = threading.Event(), []

    def last_view() -> None:
        try:
            with app.app_context():
                declare_write()
                events.record(a, events.lesson_view(ids["l2"], 1), at=at(date(2026, 3, 3)))
                db.session.flush()  # the trigger has touched a's stale row: it is locked
                in_flight.set()
                time.sleep(1.0)
                db.session.commit()
        except BaseException as error:  # reported below
            failures.append(error)
            in_flight.set()

    thread = threading.Thread(target=last_view)
    thread.start()
    assert in_flight.wait(30)
    got = accessed(app)
    thread.join(30)
    assert failures == []
    assert got == 1
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM progress_stale")) == 0


def test_the_periodic_job_keeps_progress_fresh(app, runner):
    ids, a, b = world(app)
    view_all(app, a, ids, at(date(2026, 3, 1)))
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "plans: 1 kế hoạch, 1 cán bộ có hoạt động mới" in result.output
    assert count(app, ProgressStale) == 0 and count(app, PlanProgressRule) == 1
    with app.app_context():
        assert db.session.scalar(select(PlanProgress.user_id)) == a
    view_all(app, b, ids, at(date(2026, 3, 2)))
    assert "plans: 1 kế hoạch, 1 cán bộ có hoạt động mới" in runner.invoke(args=["tick"]).output
    assert count(app, PlanProgress) == 2 and count(app, ProgressStale) == 0
    assert accessed(app) == 2


def test_a_refresh_takes_as_many_statements_for_one_official_as_for_many(app):
    ids, a, _ = world(app)
    assert accessed(app) == 0  # the plan's progress is kept from here on

    def refresh_statements() -> int:
        seen: list[str] = []

        def note(*args) -> None:
            seen.append(args[2])

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", note)
        try:
            accessed(app)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(seen)

    view_all(app, a, ids, at(date(2026, 3, 1)))
    one = refresh_statements()
    for i in range(12):
        user = make_user(app, f"cb-{i}", unit="XA1")
        view_all(app, user, ids, at(date(2026, 3, 1)))
    assert refresh_statements() == one
    assert accessed(app) == 13
