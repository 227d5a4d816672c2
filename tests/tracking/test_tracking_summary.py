"""The per-official, per-thing summary: kept by the one writer, equal to a recount of events."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask_migrate import downgrade, upgrade
from helpers import make_user
from sqlalchemy import insert, inspect, select

from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.tracking import events
from cchc_learn.tracking.models import AccessEvent, AccessSummary

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
# The last moment of 2025 in Vietnam, and the first of 2026.
NEW_YEAR = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
LAST_OF_2025 = NEW_YEAR - timedelta(microseconds=1)


def summary(app) -> set[tuple]:
    """Every summary row."""
    with app.app_context():
        s = AccessSummary
        return set(
            db.session.execute(
                select(s.user_id, s.object_type, s.object_id, s.year, s.first_at, s.last_at,
                       s.completed_at, s.last_completed_at)
            ).all()
        )  # fmt: skip


def recount(app) -> set[tuple]:
    """The summary as the events say it should be, counted in Python."""
    rows: dict[tuple, list] = {}
    with app.app_context():
        for e in db.session.scalars(select(AccessEvent)):
            key = (e.user_id, e.object_type, e.object_id, e.at.astimezone(LOCAL_TZ).year)
            row = rows.setdefault(key, [None, None, None, None])
            k = 2 if e.action == events.COMPLETE else 0
            row[k] = e.at if row[k] is None else min(row[k], e.at)
            row[k + 1] = e.at if row[k + 1] is None else max(row[k + 1], e.at)
    return {(*key, *row) for key, row in rows.items()}


def a_mix(app) -> tuple[int, int]:
    """Views, downloads and completions, on pages (short writes) and in units of work."""
    a, b = make_user(app, "cb1"), make_user(app, "cb2")
    declare_write(False)
    with app.app_context():
        events.record(a, events.document_view(1, 1), at=T0 + DAY)
        events.record(a, events.document_view(1, 2), at=T0)  # earlier, recorded later
        events.record(a, events.document_view(1, 2), at=T0 + 2 * DAY)
        events.record(a, events.attachment_download(5, 2), at=T0 + HOUR)
        events.record(a, events.lesson_view(3, 1), at=LAST_OF_2025)  # 2025 in Vietnam
        events.record(a, events.lesson_view(3, 1), at=NEW_YEAR)  # 2026
        events.record(b, events.lesson_view(3, 1), at=T0)
    with app.app_context():
        declare_write()
        events.record(a, events.lesson_completion(3, 1), at=T0 + 3 * DAY)
        events.record(a, events.lesson_completion(3, 2), at=T0 + 2 * DAY)
        events.record(b, events.lesson_completion(4, 1), at=T0)  # completed, never viewed
        db.session.commit()
        declare_write(False)
    return a, b


def test_the_summary_equals_a_recount_of_the_events(app):
    a, b = a_mix(app)
    assert summary(app) == recount(app)
    rows = {(r[0], r[1], r[2], r[3]): r[4:] for r in summary(app)}
    assert rows[(a, "document", 1, 2026)] == (T0, T0 + 2 * DAY, None, None)
    assert rows[(a, "lesson", 3, 2025)] == (LAST_OF_2025, LAST_OF_2025, None, None)
    assert rows[(a, "lesson", 3, 2026)] == (NEW_YEAR, NEW_YEAR, T0 + 2 * DAY, T0 + 3 * DAY)
    assert rows[(b, "lesson", 4, 2026)] == (None, None, T0, T0)
    assert len(rows) == 6


def test_a_completion_rolled_back_leaves_no_summary_row(app):
    uid = make_user(app)
    with app.app_context():
        declare_write()
        events.record(uid, events.lesson_completion(3, 1))
        db.session.rollback()
        declare_write(False)
    assert summary(app) == set()


def test_concurrent_views_of_the_same_material_all_count(app):
    uid = make_user(app)
    declare_write(False)
    threads_n, each = 6, 5
    start = threading.Barrier(threads_n)
    failures: list[BaseException] = []

    def view(k: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for i in range(each):
                    declare_write(False)
                    events.record(uid, events.lesson_view(9, 1), at=T0 + (k * each + i) * HOUR)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    workers = [threading.Thread(target=view, args=(k,)) for k in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    assert summary(app) == recount(app)
    last = T0 + (threads_n * each - 1) * HOUR
    assert summary(app) == {(uid, "lesson", 9, 2026, T0, last, None, None)}


def test_the_migration_fills_in_the_rows_the_writer_keeps(app):
    a_mix(app)
    written = summary(app)
    with app.app_context():
        declare_write()
        try:
            downgrade(directory=app.config["MIGRATIONS_DIR"], revision="0012")
            assert "access_summary" not in inspect(db.engine).get_table_names()
        finally:
            upgrade(directory=app.config["MIGRATIONS_DIR"])
            db.engine.dispose()
        declare_write(False)
    assert summary(app) == written == recount(app)


def test_events_written_without_the_writer_are_folded_in_by_the_database(app):
    # An import of past events, or any other INSERT, keeps the summary too (the trigger).
    a, _ = a_mix(app)
    with app.app_context():
        db.session.execute(insert(AccessEvent).values(
            user_id=a, object_type="lesson", object_id=3, version=1, action="complete",
            at=NEW_YEAR + DAY))  # fmt: skip
        db.session.execute(insert(AccessEvent).values(
            user_id=a, object_type="lesson", object_id=3, version=1, action="view",
            at=NEW_YEAR - 2 * DAY))  # fmt: skip
        db.session.commit()
    assert summary(app) == recount(app)
