"""Administration pages: accounts, units, imports, audit log."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the admin blueprint and its menu entry."""
    from . import import_views, units_views, users_views, views, workdays_views  # noqa: F401
    from .blueprint import bp

    app.register_blueprint(bp)
    navigation.register(app, navigation.NavEntry("admin.index", "Quản trị", 90, roles=("admin",)))
