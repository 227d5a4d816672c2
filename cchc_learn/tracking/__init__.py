"""Access tracking: views, downloads and completions by signed-in officials."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models and the central request hook."""
    from . import hook, models  # noqa: F401

    hook.init_app(app)
