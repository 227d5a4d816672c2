"""The working-day clock: which days the public sector works, and deadlines counted in them.

A day is a working day unless it is a weekend day or an official holiday (with the observed,
compensating days) of `holidays.country_holidays("VN")`; the package's public-sector make-up
Saturdays (`weekend_workdays`) are working days. A row of `workday_override` wins over both: the
Ministry announces each year's swaps, and the package only estimates future years.

Times are read in Asia/Ho_Chi_Minh against three settings (local "HH:MM"): `WORKDAY_START`
(office start, default 07:30), `WORKDAY_END` (office end, 17:00) and `QA_DAY_CUTOFF` (16:30:
what arrives later is treated as received the next working day). Every datetime given must be
aware; every datetime returned is aware UTC.
"""

from __future__ import annotations

import threading
import time as monotonic_time
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..clock import LOCAL_TZ
from ..extensions import db
from .models import WorkdayOverride

DEFAULT_START = "07:30"
DEFAULT_END = "17:00"
DEFAULT_CUTOFF = "16:30"

OVERRIDES_TTL_SECONDS = 60.0
"""How long a process trusts its copy of the overrides. Edits made in this process are seen at
once (the cache is dropped when an override is flushed); another worker or host sees them
within this many seconds."""

FIRST_YEAR, LAST_YEAR = 2000, 2100
_EXTENSION = "cchc_workdays"
_CHANGED = "cchc_workdays_changed"


# -- the calendar of the law -------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    off: dict[date, str]  # holidays and observed days, with their Vietnamese names
    makeup: frozenset[date]  # public-sector make-up Saturdays


@lru_cache(maxsize=256)
def _year(year: int) -> _Year:
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    makeup = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return _Year(off=dict(calendar.items()), makeup=makeup)


def holiday_name(day: date) -> str | None:
    """The official holiday's Vietnamese name when day is one (overrides aside)."""
    return _year(day.year).off.get(day)


def _legal_working_day(day: date) -> bool:
    year = _year(day.year)
    if day in year.off:
        return False
    if day in year.makeup:
        return True
    return day.weekday() < 5


# -- the overrides announced each year ---------------------------------------------------------


class _OverrideCache:
    """The override table as {day: working}, per application, refreshed after a short TTL."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.days: dict[date, bool] | None = None
        self.loaded_at = 0.0
        self.generation = 0

    def get(self) -> dict[date, bool]:
        days, loaded_at = self.days, self.loaded_at
        if days is not None and monotonic_time.monotonic() - loaded_at < OVERRIDES_TTL_SECONDS:
            return days
        generation = self.generation
        rows = db.session.execute(db.select(WorkdayOverride.day, WorkdayOverride.working))
        fresh = {day: working for day, working in rows}
        with self.lock:
            # A change noted while this copy was read makes the copy suspect: use it, keep none.
            if generation == self.generation:
                self.days, self.loaded_at = fresh, monotonic_time.monotonic()
        return fresh

    def clear(self) -> None:
        with self.lock:
            self.days = None
            self.generation += 1


def _cache() -> _OverrideCache | None:
    if not has_app_context():
        return None
    return current_app.extensions.get(_EXTENSION)


def overrides() -> dict[date, bool]:
    """The announced overrides, {day: working}; empty outside an application."""
    cache = _cache()
    return cache.get() if cache is not None else {}


def forget_overrides() -> None:
    """Drop this process's copy of the overrides (after writing them other than via the ORM)."""
    cache = _cache()
    if cache is not None:
        cache.clear()


def _touches_overrides(session: Session) -> bool:
    return any(
        isinstance(obj, WorkdayOverride)
        for obj in (*session.new, *session.dirty, *session.deleted)
    )


@event.listens_for(Session, "before_flush")
def _note_override_change(session: Session, _context, _instances) -> None:
    if _touches_overrides(session):
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_flush_postexec")
def _drop_cache_after_flush(session: Session, _context) -> None:
    # The session now sees its own change: so must the calendar.
    if session.info.get(_CHANGED):
        forget_overrides()


@event.listens_for(Session, "after_transaction_end")
def _drop_cache_after_end(session: Session, transaction) -> None:
    # Committed, others see it; rolled back or closed, nobody must.
    if transaction.parent is None and session.info.pop(_CHANGED, False):
        forget_overrides()


def init_app(app: Flask) -> None:
    """Give the application its override cache and check the office-hour settings."""
    app.extensions[_EXTENSION] = _OverrideCache()
    start, end, _cutoff = _office_hours_of(app.config)
    if not start < end:
        raise ValueError("WORKDAY_START phải trước WORKDAY_END")


# -- settings ------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _parse_hhmm(text: str, name: str) -> time:
    try:
        hours, minutes = str(text).strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{name} phải có dạng HH:MM (nhận được {text!r})") from None


def _office_hours_of(config) -> tuple[time, time, time]:
    return (
        _parse_hhmm(config.get("WORKDAY_START") or DEFAULT_START, "WORKDAY_START"),
        _parse_hhmm(config.get("WORKDAY_END") or DEFAULT_END, "WORKDAY_END"),
        _parse_hhmm(config.get("QA_DAY_CUTOFF") or DEFAULT_CUTOFF, "QA_DAY_CUTOFF"),
    )


def office_hours() -> tuple[time, time, time]:
    """(office start, office end, cut-off) as local times, from the settings."""
    return _office_hours_of(current_app.config if has_app_context() else {})


# -- public functions ------------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    """Tell whether the public sector works on day (an override wins over the law's calendar)."""
    announced = overrides().get(day)
    if announced is not None:
        return announced
    return _legal_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after day."""
    day += timedelta(days=1)
    known = overrides()
    for _ in range(366):
        announced = known.get(day)
        if announced if announced is not None else _legal_working_day(day):
            return day
        day += timedelta(days=1)
    raise ValueError("không tìm thấy ngày làm việc nào trong một năm")


def _local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the working-day clock")
    return at.astimezone(LOCAL_TZ)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LOCAL_TZ).astimezone(UTC)


def clock_start(at: datetime) -> datetime:
    """When the answer clock starts for something received at `at`.

    Received on a working day before the cut-off: `at` itself. After the cut-off, or on a day
    off: office start of the next working day.
    """
    start, _end, cutoff = office_hours()
    local = _local(at)
    if local.time() < cutoff and is_working_day(local.date()):
        return at.astimezone(UTC)
    return _at(next_working_day(local.date()), start)


def due_after(start: datetime, days: int) -> datetime:
    """The deadline `days` working days after a clock start: office end of the days-th working day.

    As in the Civil Code's counting of terms in days, the start day itself is not counted: a
    clock started on Monday (any hour) with days=3 falls due Thursday at office end
    (`WORKDAY_END`), days off skipped. days=0 means office end of the start day, or of the next
    working day when the start falls on a day off.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    _start, end, _cutoff = office_hours()
    day = _local(start).date()
    if days == 0:
        if not is_working_day(day):
            day = next_working_day(day)
        return _at(day, end)
    for _ in range(days):
        day = next_working_day(day)
    return _at(day, end)


def working_days_between(start: datetime, end: datetime) -> float:
    """Working time from start to end, in working days: office hours on working days only.

    A full working day (office start to office end) counts 1.0; part of one counts its share;
    time outside office hours and days off count nothing. 0.0 when end is not after start.
    """
    if end <= start:
        return 0.0
    open_at, close_at, _cutoff = office_hours()
    day_seconds = (
        datetime.combine(date.min, close_at) - datetime.combine(date.min, open_at)
    ).total_seconds()

    def office_seconds(day: date) -> float:
        if not is_working_day(day):
            return 0.0
        opens, closes = _at(day, open_at), _at(day, close_at)
        return max((min(closes, end) - max(opens, start)).total_seconds(), 0.0)

    first, last = _local(start).date(), _local(end).date()
    if first == last:
        return office_seconds(first) / day_seconds
    # Whole days in between need no clock arithmetic: a working one counts 1.
    known = overrides()
    whole = 0
    day = first + timedelta(days=1)
    while day < last:
        announced = known.get(day)
        whole += announced if announced is not None else _legal_working_day(day)
        day += timedelta(days=1)
    return whole + (office_seconds(first) + office_seconds(last)) / day_seconds


# -- the year at a glance, for the admin page ------------------------------------------------


@dataclass(frozen=True)
class DayNote:
    """A day that is not as the weekday suggests: a holiday, a make-up day, an override."""

    day: date
    working: bool
    name: str
    overridden: bool


def year_notes(year: int) -> list[DayNote]:
    """Holidays, make-up Saturdays and overrides of a year, by date (overrides win)."""
    legal = _year(year)
    notes = {day: DayNote(day, False, name, False) for day, name in legal.off.items()}
    for day in legal.makeup:
        notes[day] = DayNote(day, True, "Ngày làm việc bù", False)
    for day, working in overrides().items():
        if day.year == year:
            name = holiday_name(day) or ("Ngày làm việc bù" if day in legal.makeup else "")
            notes[day] = DayNote(day, working, name, True)
    return [notes[day] for day in sorted(notes)]
