"""The working-day clock on golden dates of 2026, with and without announced overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import make_user

from cchc_learn.auth.models import User
from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.workdays import service
from cchc_learn.workdays.calendar import (
    clock_start,
    due_after,
    is_working_day,
    working_days_between,
    year_notes,
)
from cchc_learn.workdays.models import WorkdayOverride


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def utc(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def test_tet_binh_ngo_2026_is_off_and_the_days_around_it_are_working(ctx):
    # holidays 0.109: Giao thừa Mon 16/02 to Mùng bốn Fri 20/02, with the weekends around it.
    assert is_working_day(date(2026, 2, 13))  # Friday before Tết
    for day in range(14, 23):
        assert not is_working_day(date(2026, 2, day)), f"{day}/02/2026"
    assert is_working_day(date(2026, 2, 23))  # first Monday back


def test_a_question_received_the_friday_before_tet_falls_due_after_it(ctx):
    received = local(2026, 2, 13, 10, 15)
    start = clock_start(received)
    assert start == received and start.tzinfo == UTC
    # Three working days after Friday 13/02: Mon 23, Tue 24, Wed 25/02, at office end.
    assert due_after(start, 3) == utc(2026, 2, 25, 10, 0) == local(2026, 2, 25, 17, 0)
    assert due_after(start, 1) == local(2026, 2, 23, 17, 0)
    assert due_after(start, 0) == local(2026, 2, 13, 17, 0)


def test_after_the_cutoff_the_clock_starts_on_the_next_working_day(ctx):
    late = local(2026, 2, 13, 16, 45)
    start = clock_start(late)
    assert start == local(2026, 2, 23, 7, 30)
    assert due_after(start, 3) == local(2026, 2, 26, 17, 0)
    # Exactly at the cut-off counts as after it; a minute before does not.
    assert clock_start(local(2026, 3, 2, 16, 30)) == local(2026, 3, 3, 7, 30)
    assert clock_start(local(2026, 3, 2, 16, 29)) == local(2026, 3, 2, 16, 29)


def test_received_on_a_day_off_starts_on_the_next_working_day(ctx):
    assert clock_start(local(2026, 2, 18, 9, 0)) == local(2026, 2, 23, 7, 30)  # Tết
    assert clock_start(local(2026, 3, 7, 9, 0)) == local(2026, 3, 9, 7, 30)  # Saturday


def test_the_make_up_saturday_of_august_2026_is_a_working_day(ctx):
    assert date(2026, 8, 22).weekday() == 5
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))  # the day off it pays for
    received = local(2026, 8, 22, 9, 0)
    assert clock_start(received) == received
    # Sat 22 → Mon 24, Tue 25 (Sunday 23 off).
    assert due_after(received, 2) == local(2026, 8, 25, 17, 0)
    # Fri 28/08 → 31/08 off, 01 and 02/09 Quốc khánh → Thu 03/09.
    assert due_after(local(2026, 8, 28, 9, 0), 1) == local(2026, 9, 3, 17, 0)


def test_vietnamese_culture_day_24_november_2026_is_off(ctx):
    assert date(2026, 11, 24).weekday() == 1
    assert not is_working_day(date(2026, 11, 24))
    assert due_after(local(2026, 11, 23, 9, 0), 1) == local(2026, 11, 25, 17, 0)
    names = {note.day: note.name for note in year_notes(2026)}
    assert names[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_overrides_win_over_the_calendar_and_take_effect_at_once(app):
    admin_id = make_user(app, "quantri", roles=("admin",))
    with app.app_context():
        declare_write()
        actor = db.session.get(User, admin_id)
        assert due_after(local(2026, 11, 23, 9, 0), 2) == local(2026, 11, 26, 17, 0)
        made_working = service.add_override(
            date(2026, 11, 24), True, "Làm việc bình thường", "Thông báo 1/TB-SNV", actor
        )
        made_off = service.add_override(
            date(2026, 11, 25), False, "Nghỉ bù", "Thông báo 2/TB-SNV", actor
        )
        assert is_working_day(date(2026, 11, 24))
        assert not is_working_day(date(2026, 11, 25))
        # Mon 23 → Tue 24 (now working), Wed 25 (now off), Thu 26.
        assert due_after(local(2026, 11, 23, 9, 0), 2) == local(2026, 11, 26, 17, 0)
        assert due_after(local(2026, 11, 23, 9, 0), 1) == local(2026, 11, 24, 17, 0)
        assert clock_start(local(2026, 11, 24, 9, 0)) == local(2026, 11, 24, 9, 0)
        assert clock_start(local(2026, 11, 25, 9, 0)) == local(2026, 11, 26, 7, 30)
        notes = {note.day: note for note in year_notes(2026)}
        assert notes[date(2026, 11, 24)].working and notes[date(2026, 11, 24)].overridden

        service.remove_override(made_working.id, actor)
        service.remove_override(made_off.id, actor)
        assert not is_working_day(date(2026, 11, 24))
        assert is_working_day(date(2026, 11, 25))


def test_an_override_rolled_back_never_counts(app):
    with app.app_context():
        declare_write()
        assert not is_working_day(date(2026, 11, 24))
        db.session.add(
            WorkdayOverride(day=date(2026, 11, 24), working=True, reason="thử", source="thử")
        )
        db.session.flush()
        assert is_working_day(date(2026, 11, 24))  # the writer sees its own change
        db.session.rollback()
        assert not is_working_day(date(2026, 11, 24))
        assert db.session.scalar(db.select(db.func.count(WorkdayOverride.id))) == 0


def test_working_time_between_counts_office_hours_on_working_days_only(ctx):
    monday = local(2026, 3, 2, 9, 0)
    assert working_days_between(monday, local(2026, 3, 3, 9, 0)) == pytest.approx(1.0)
    assert working_days_between(monday, local(2026, 3, 2, 13, 45)) == pytest.approx(0.5)
    assert working_days_between(local(2026, 3, 2, 7, 30), local(2026, 3, 6, 17, 0)) == 5.0
    # Friday 16:00 before Tết to the Monday after at 08:30: one hour plus one hour.
    gap = working_days_between(local(2026, 2, 13, 16, 0), local(2026, 2, 23, 8, 30))
    assert gap == pytest.approx(2 / 9.5)
    # Night, weekend and backwards count nothing.
    assert working_days_between(local(2026, 3, 2, 18, 0), local(2026, 3, 3, 7, 0)) == 0.0
    assert working_days_between(local(2026, 3, 7, 8, 0), local(2026, 3, 8, 16, 0)) == 0.0
    assert working_days_between(monday, monday - timedelta(hours=1)) == 0.0


def test_office_hours_and_cutoff_come_from_the_settings(app):
    app.config.update(QA_DAY_CUTOFF="12:00", WORKDAY_START="08:00", WORKDAY_END="16:30")
    with app.app_context():
        assert clock_start(local(2026, 3, 2, 12, 5)) == local(2026, 3, 3, 8, 0)
        assert due_after(local(2026, 3, 2, 9, 0), 1) == local(2026, 3, 3, 16, 30)
        assert working_days_between(local(2026, 3, 2, 8, 0), local(2026, 3, 2, 16, 30)) == 1.0


def test_naive_datetimes_are_refused(ctx):
    with pytest.raises(ValueError):
        clock_start(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError):
        due_after(local(2026, 3, 2), -1)


def test_working_time_adds_up_across_any_split_point(ctx):
    start, end = local(2026, 2, 10, 11, 20), local(2026, 3, 4, 15, 5)
    whole = working_days_between(start, end)
    # 11–13/02, 23–27/02, 2–3/03 in full (Tết and weekends skipped), plus part of each end.
    assert whole == pytest.approx(10 + (5 + 40 / 60 + 7 + 35 / 60) / 9.5)
    point = start
    while point < end:
        left, right = working_days_between(start, point), working_days_between(point, end)
        assert left + right == pytest.approx(whole), point
        point += timedelta(hours=7, minutes=13)


def test_an_override_written_elsewhere_is_seen_when_the_copy_expires(app, monkeypatch):
    from cchc_learn.workdays import calendar

    with app.app_context():
        declare_write(False)
        assert not is_working_day(date(2026, 11, 24))  # the copy is loaded now
        db.session.rollback()  # as at the end of a request
        with db.engine.begin() as conn:  # another worker or host, behind the ORM's back
            conn.execute(
                WorkdayOverride.__table__.insert().values(
                    day=date(2026, 11, 24), working=True, reason="r", source="s",
                    created_at=datetime.now(UTC),
                )
            )
        assert not is_working_day(date(2026, 11, 24))  # within the TTL: the copy still holds
        db.session.rollback()
        monkeypatch.setattr(calendar, "OVERRIDES_TTL_SECONDS", 0.0)
        assert is_working_day(date(2026, 11, 24))
