"""The application's notion of now; tests may swap in a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def travelling() -> Iterator[Callable[[datetime], None]]:
    """Within the block the clock stands where `go(moment)` last put it; then it runs again.

    For writing data that happened at past moments (the demo's answered questions) through the
    ordinary services. Whatever clock was in use before (a test's fake one too) comes back.
    """
    global _now
    previous = _now
    standing = [previous()]

    def go(moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("naive datetime given to the clock")
        standing[0] = moment

    _now = lambda: standing[0]  # noqa: E731
    try:
        yield go
    finally:
        _now = previous
