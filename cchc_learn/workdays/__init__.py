"""Working days: the Vietnamese public-sector calendar, with announced overrides."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the override model and give the application its override cache."""
    from . import calendar, models  # noqa: F401

    calendar.init_app(app)
