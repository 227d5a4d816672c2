"""Question banks and quizzes: authoring, attempts with server-side grading, item analysis."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models."""
    from . import models  # noqa: F401
