"""The Q&A channel: questions with a working-day clock, the moderators' queue, the FAQ."""

from flask import Flask

from .. import agenda, navigation


def init_app(app: Flask) -> None:
    """Register settings, models, pages, API, search, citations, templates, menu and tick job."""
    from ..content import kinds
    from ..kb import citations as kb_citations
    from ..periodic import register_job
    from ..search import providers
    from . import (  # noqa: F401
        answer_templates,
        citations,
        models,
        moderation_views,
        reading,
        reminders,
        search_provider,
        settings,
        views,
    )

    settings.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.api)
    providers.register(app, search_provider.QUESTIONS)
    kb_citations.register(app, citations.answers_citing)
    kinds.register(app, answer_templates.TEMPLATES)
    navigation.register(app, navigation.NavEntry("qa.index", "Hỏi đáp", 25))
    navigation.register(
        app, navigation.NavEntry("qa.queue", "Hàng đợi hỏi đáp", 26, roles=("moderator",))
    )
    agenda.register(app, reading.todo)
    register_job(app, "qa", reminders.run)
