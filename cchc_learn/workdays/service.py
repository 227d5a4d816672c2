"""Announced changes to the working-day calendar, each one unit of work, audited."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit import service as audit
from ..audit.service import Actor
from ..database import transactional
from ..extensions import db
from . import calendar
from .models import WorkdayOverride

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class WorkdayError(Exception):
    """A change to the calendar that cannot be made (the message is for the user)."""


class WorkdayNotFound(WorkdayError):
    """The override named does not exist (or no longer does)."""


def _text(value: str | None, label: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if _CONTROL.search(text):
        raise WorkdayError(f"{label}: có ký tự không hợp lệ.")
    if not text:
        raise WorkdayError(f"Nhập {label.lower()}.")
    if len(text) > limit:
        raise WorkdayError(f"{label}: tối đa {limit} ký tự.")
    return text


def _check(day: object, working: object, reason: str | None, source: str | None):
    if not isinstance(day, date):
        raise WorkdayError("Ngày không hợp lệ.")
    if not calendar.FIRST_YEAR <= day.year <= calendar.LAST_YEAR:
        raise WorkdayError(
            f"Ngày phải trong các năm {calendar.FIRST_YEAR}–{calendar.LAST_YEAR}."
        )
    if not isinstance(working, bool):
        raise WorkdayError("Chọn ngày làm việc hoặc ngày nghỉ.")
    return _text(reason, "Lý do", 200), _text(source, "Văn bản thông báo", 200)


def list_overrides(year: int) -> list[WorkdayOverride]:
    """The overrides of a year, by date."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    query = select(WorkdayOverride).where(WorkdayOverride.day.between(first, last))
    return list(db.session.scalars(query.order_by(WorkdayOverride.day)))


@transactional
def add_override(
    day: date, working: bool, reason: str, source: str, actor: Actor | None
) -> WorkdayOverride:
    """Make day a working day (working=True) or a day off, citing the announcing document."""
    reason, source = _check(day, working, reason, source)
    taken = db.session.scalar(select(WorkdayOverride.id).where(WorkdayOverride.day == day))
    if taken is not None:
        raise WorkdayError(
            f"Ngày {day:%d/%m/%Y} đã có điều chỉnh; xoá điều chỉnh cũ trước khi thêm mới."
        )
    override = WorkdayOverride(
        day=day,
        working=working,
        reason=reason,
        source=source,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(override)
    try:
        db.session.flush()
    except IntegrityError:  # added meanwhile by someone else
        raise WorkdayError(f"Ngày {day:%d/%m/%Y} đã có điều chỉnh.") from None
    kind = "ngày làm việc" if working else "ngày nghỉ"
    audit.record(
        actor,
        "workday.add",
        "workday_override",
        override.id,
        f"Đặt {day:%d/%m/%Y} là {kind}: {reason} ({source})",
        after=_snapshot(override),
    )
    return override


@transactional
def remove_override(override_id: int, actor: Actor | None) -> None:
    """Remove an override: the day follows the law's calendar again."""
    override = db.session.get(WorkdayOverride, override_id)
    if override is None:
        raise WorkdayNotFound("Không tìm thấy điều chỉnh này (có thể đã bị xoá).")
    audit.record(
        actor,
        "workday.remove",
        "workday_override",
        override.id,
        f"Bỏ điều chỉnh ngày {override.day:%d/%m/%Y}: {override.reason}",
        before=_snapshot(override),
    )
    db.session.delete(override)
    db.session.flush()


def _snapshot(override: WorkdayOverride) -> dict:
    return {
        "day": override.day.isoformat(),
        "working": override.working,
        "reason": override.reason,
        "source": override.source,
    }
