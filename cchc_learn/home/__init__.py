"""Home page and health endpoint."""

from flask import Flask

from .. import agenda, navigation


def init_app(app: Flask) -> None:
    """Register the home blueprint and its menu entry."""
    from . import views

    navigation.init_app(app)
    agenda.init_app(app)
    app.register_blueprint(views.bp)
    navigation.register(app, navigation.NavEntry("home.index", "Trang chủ", 0, public=True))
