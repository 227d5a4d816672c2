"""Template filters showing stored UTC times as Vietnamese dates (dd/mm/yyyy, local time)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from .clock import LOCAL_TZ


def as_local(value: datetime) -> datetime:
    """Convert a stored datetime (naive values are UTC) to Vietnam time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def vn_date(value: date | datetime | None) -> str:
    """Format as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_local(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """Format as HH:MM dd/mm/yyyy in Vietnam time."""
    if value is None:
        return ""
    return as_local(value).strftime("%H:%M %d/%m/%Y")


def init_app(app: Flask) -> None:
    """Register the date filters."""
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_datetime, "vn_datetime")
