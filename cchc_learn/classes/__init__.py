"""Training classes (lớp bồi dưỡng): sessions, rosters, attendance, sign-in sheets, check-in.

`outcome.py` keeps each participant's `attended_on` (the class's rule: present or late at a
share of its sessions); `plans.counting` counts an attended class that serves a plan as trained.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models (pages, CLI and panels come with their modules)."""
    from . import models  # noqa: F401
    from .cli import register_cli
    from .import_views import bp as imports_bp

    app.register_blueprint(imports_bp)
    register_cli(app)
