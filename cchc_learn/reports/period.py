"""What a report is asked for: a period of days and a unit, read from what a person typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..clock import LOCAL_TZ, local_today
from ..extensions import db
from ..org.models import Unit

DEFAULT_DAYS = 90
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ReportError(ValueError):
    """A request for a report that cannot be answered (the message is for the user)."""


@dataclass(frozen=True)
class Period:
    """From one local day to another, both included."""

    first: date
    last: date

    @property
    def starts(self) -> datetime:
        """The first instant, as aware UTC."""
        return datetime.combine(self.first, time.min, LOCAL_TZ).astimezone(UTC)

    @property
    def ends(self) -> datetime:
        """The instant after the last day, as aware UTC."""
        return datetime.combine(self.last + timedelta(days=1), time.min, LOCAL_TZ).astimezone(UTC)


def _day(text: str | None, what: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text[:20], fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ReportError(f"{what}: năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.")
        return day
    raise ReportError(
        f"{what}: “{text[:20]}” không phải ngày dạng ngày/tháng/năm (ví dụ 31/03/2026)."
    )


def read_period(first: str | None, last: str | None) -> Period:
    """The period typed (dd/mm/yyyy or ISO); by default the last 90 days up to today."""
    end = _day(last, "Đến ngày") or local_today()
    start = _day(first, "Từ ngày") or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ReportError(
            f"Từ ngày ({start:%d/%m/%Y}) phải trước hoặc trùng đến ngày ({end:%d/%m/%Y}); "
            "hãy đổi lại hai ngày."
        )
    return Period(start, end)


def read_unit(text: str | None) -> Unit | None:
    """The unit chosen, by id (the form's list) or by code; None for every unit."""
    text = (text or "").strip()
    if not text:
        return None
    unit = None
    if text.isascii() and text.isdigit() and len(text) < 10:
        unit = db.session.get(Unit, int(text))
    if unit is None and len(text) <= 32:
        unit = db.session.scalar(db.select(Unit).where(db.func.lower(Unit.code) == text.lower()))
    if unit is None:
        raise ReportError(f"Đơn vị: không tìm thấy đơn vị “{text[:40]}”; hãy chọn trong danh sách.")
    return unit
