"""Knowledge base of reform documents."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the models, pages and menu entry."""
    from ..search import providers
    from . import authoring_views, models, search_provider, views  # noqa: F401

    app.register_blueprint(views.bp)
    providers.register(app, search_provider.PROVIDER)
    navigation.register(app, navigation.NavEntry("kb.index", "Văn bản", 20))
