"""Search over lessons, documents and public Q&A (the only package that imports Whoosh)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the change-log model."""
    from . import models  # noqa: F401
