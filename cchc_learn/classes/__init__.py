"""Training classes (lớp bồi dưỡng): sessions, rosters, attendance, sign-in sheets, check-in.

`outcome.py` keeps each participant's `attended_on` (the class's rule: present or late at a
share of its sessions); `plans.counting` counts an attended class that serves a plan as trained.
`links.py` is how the plans above are listed here without an import upward.
"""

from flask import Flask

from .. import agenda, dashboard, navigation

DEFAULTS = {
    # Check-in posts per account (a whole room shares one address) and per address.
    "CLASSES_CHECKIN_RATE_LIMIT": "10 per minute",
    "CLASSES_CHECKIN_ADDRESS_LIMIT": "300 per minute",
}


def init_app(app: Flask) -> None:
    """Register the models, pages, imports, CLI, menu entry, trainers' panel and agenda item."""
    from ..quickstart import DEMO_DATA, register_step
    from . import demo, models, reading, views  # noqa: F401
    from .cli import register_cli
    from .import_views import bp as imports_bp

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(views.bp)
    app.register_blueprint(imports_bp)
    register_cli(app)
    # The header's row is full for admins and for accounts holding several roles (see
    # reports/): the entry is a card of the home page, next to the trainers' panel of today's
    # sessions, which is where a trainer in the room starts.
    navigation.register(app, navigation.NavEntry("classes.index", "Lớp bồi dưỡng", 35,
                                                 roles=views.MANAGERS, in_header=False))
    dashboard.register(app, dashboard.Panel("classes", "classes/panels/trainer.html",
                                            reading.trainer_panel, ("trainer",), 35))  # fmt: skip
    agenda.register(app, reading.todo)
    register_step(app, "Lớp bồi dưỡng mẫu năm 2026", demo.add_demo_classes, order=DEMO_DATA)
