"""Knowledge base of reform documents."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the models, pages, menu entry and the document files of content/."""
    from ..content import kinds
    from ..search import providers
    from . import authoring_views, content_kind, models, search_provider, views  # noqa: F401

    app.register_blueprint(views.bp)
    providers.register(app, search_provider.PROVIDER)
    kinds.register(app, content_kind.DOCUMENTS)
    navigation.register(app, navigation.NavEntry("kb.index", "Văn bản", 20))
