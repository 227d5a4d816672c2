"""Administration pages: accounts, units, imports, audit log."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the admin blueprint and its menu entry."""
    from . import views

    app.register_blueprint(views.bp)
    navigation.register(app, navigation.NavEntry("admin.index", "Quản trị", 90, roles=("admin",)))
