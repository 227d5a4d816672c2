"""The classes tables as migrated match the models, and the outcome rule's arithmetic."""

from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cchc_learn.classes.outcome import attended_on, sessions_needed
from cchc_learn.extensions import db

TABLES = ("training_class", "class_session", "class_participant", "class_attendance")


def test_the_migrated_class_tables_match_the_models(app):
    with app.app_context():
        context = MigrationContext.configure(db.engine.connect())
        diff = compare_metadata(context, db.metadata)
        context.connection.close()
    assert [d for d in diff if any(t in repr(d) for t in TABLES)] == []


def test_sessions_needed_rounds_the_share_up():
    assert sessions_needed(100, 4) == 4
    assert sessions_needed(75, 4) == 3
    assert sessions_needed(70, 4) == 3
    assert sessions_needed(50, 3) == 2
    assert sessions_needed(1, 10) == 1
    assert sessions_needed(100, 0) == 0


def test_attended_on_is_the_day_the_needed_session_was_reached():
    days = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert attended_on(2, days) == date(2026, 3, 9)
    assert attended_on(3, days) == date(2026, 3, 16)
    assert attended_on(4, days) is None
    assert attended_on(0, days) is None
