"""Knowledge base of reform documents."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the models, pages and menu entry."""
    from . import authoring_views, models, views  # noqa: F401

    app.register_blueprint(views.bp)
    navigation.register(app, navigation.NavEntry("kb.index", "Văn bản", 20))
