"""Audit log of administrative actions."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the audit models."""
    from . import models  # noqa: F401
