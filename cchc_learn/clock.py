"""The application's notion of now; tests may swap in a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return _now()


def local_today() -> date:
    """Return today's date in Vietnam."""
    return utcnow().astimezone(LOCAL_TZ).date()


def set_clock(func: Callable[[], datetime] | None) -> None:
    """Replace the clock (None restores the system clock)."""
    global _now
    _now = func or (lambda: datetime.now(UTC))
