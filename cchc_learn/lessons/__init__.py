"""Lesson modules (chuyên đề) and their lessons, loaded from content/modules/."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models."""
    from . import models  # noqa: F401
