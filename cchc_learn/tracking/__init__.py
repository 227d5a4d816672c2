"""Access tracking: views, downloads and completions by signed-in officials (see events.py)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models."""
    from . import models  # noqa: F401
