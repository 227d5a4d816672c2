"""Numbers in bank files: decimal parsing, exact intervals and shortest spelling."""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, InvalidOperation

NUMBER = r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?"
_NUMBER_RE = re.compile(NUMBER)
_WEIGHT_RE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
# Enough digits that centre ± tolerance of any two float reprs is computed exactly.
_CONTEXT = Context(prec=80)


def parse_decimal(text: str) -> Decimal | None:
    """Parse one number, accepting a decimal comma as well as a point; None if not a number."""
    text = text.strip().replace("\u2212", "-")
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and math.isfinite(float(value)) else None


def parse_weight(text: str) -> float | None:
    """Parse a weight in percent such as `50`, `-33.3` or `33,3`."""
    text = text.strip()
    if not _WEIGHT_RE.fullmatch(text):
        return None
    return as_float(Decimal(text.replace(",", ".")))


def as_float(value: Decimal) -> float:
    """Return the float nearest to value, without a negative zero."""
    result = float(value)
    return 0.0 if result == 0 else result


def interval(center: Decimal, tolerance: Decimal) -> tuple[float, float]:
    """Return (min, max) of center ± tolerance, computed in decimal (3.14 ± 0.01 → 3.13, 3.15)."""
    low = _CONTEXT.subtract(center, tolerance)
    high = _CONTEXT.add(center, tolerance)
    return as_float(low), as_float(high)


def format_number(value: float) -> str:
    """Spell a float the shortest way that reads back to the same float."""
    value = float(value)
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(_CONTEXT), "f")
    return "0" if text in {"-0", "0"} else text


def center_form(low: float, high: float) -> tuple[str, str] | None:
    """Return (center, tolerance) spellings that read back to exactly low and high, if any."""
    d_low, d_high = Decimal(repr(low)), Decimal(repr(high))
    center = _CONTEXT.divide(_CONTEXT.add(d_low, d_high), 2)
    tolerance = _CONTEXT.divide(_CONTEXT.subtract(d_high, d_low), 2)
    spelled = _plain(center), _plain(tolerance)
    if len(spelled[0]) + len(spelled[1]) > 40:
        return None
    back_center, back_tol = parse_decimal(spelled[0]), parse_decimal(spelled[1])
    if back_center is None or back_tol is None:
        return None
    if interval(back_center, back_tol) != (low, high):
        return None
    return spelled


def spell_interval(low: float | None, high: float | None, center_mark: str) -> str:
    """Spell an accepted interval: `*`, `360`, `3.14<mark>0.01` when exact, else `1..5`."""
    if low is None or high is None:
        return "*"
    if low == high:
        return format_number(low)
    centred = center_form(low, high)
    if centred is not None:
        return f"{centred[0]}{center_mark}{centred[1]}"
    return f"{format_number(low)}..{format_number(high)}"
