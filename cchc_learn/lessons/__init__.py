"""Lesson modules (chuyên đề): studying, progress, completion, and authoring in the browser."""

from flask import Flask

from .. import navigation
from .schema import AUDIENCE_LEVELS


def lesson_minutes(minutes: int | None) -> str:
    """Format a duration in minutes the Vietnamese way: "45 phút", "1 giờ 20 phút"."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} phút"
    return f"{hours} giờ {rest} phút" if rest else f"{hours} giờ"


def lesson_level(level: str) -> str:
    """The Vietnamese name of an audience level."""
    return AUDIENCE_LEVELS.get(level, level)


def init_app(app: Flask) -> None:
    """Register the models, pages, template filters, menu entry and content/modules/."""
    from ..content import kinds
    from ..kb import citations as kb_citations
    from ..search import providers
    from . import (  # noqa: F401
        authoring_views,
        citations,
        content_kind,
        models,
        revision_views,
        search_provider,
        views,
    )

    providers.register(app, search_provider.LESSONS)
    providers.register(app, search_provider.MODULES)
    kb_citations.register(app, citations.lessons_citing)
    kinds.register(app, content_kind.MODULES)

    app.register_blueprint(views.bp)
    app.register_blueprint(authoring_views.bp)
    app.add_template_filter(lesson_minutes, "lesson_minutes")
    app.add_template_filter(lesson_level, "lesson_level")
    navigation.register(app, navigation.NavEntry("lessons.index", "Chuyên đề", 10))
