"""Numbers as a Vietnamese reader expects them: dots between thousands, a decimal comma.

Scores and other measured values are stored exactly and shown with at most two decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import Flask


def vi_count(number: int) -> str:
    """Format an integer the Vietnamese way, with dots between thousands: 12.345."""
    return f"{number:,}".replace(",", ".")


def vi_number(value: float | int | Decimal | None, digits: int = 2) -> str:
    """A number with at most `digits` decimals, trailing zeros dropped: 4,33 · 0,5 · 1.250."""
    if value is None:
        return "—"
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return "—"
    if not exact.is_finite():
        return "—"
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}" if digits else f"{rounded:,.0f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def init_app(app: Flask) -> None:
    """Register the number filters for templates."""
    app.add_template_filter(vi_number, "vi_number")
    app.add_template_filter(vi_count, "vi_count")
