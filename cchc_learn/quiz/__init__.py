"""Question banks and quizzes: authoring, attempts graded by the server (essays by trainers)."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the models, both blueprints (officials' and trainers' pages), menu and CLI."""
    from . import attempt_views, bank_views, cli, models, trainer_views, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.register_blueprint(attempt_views.bp)
    app.cli.add_command(cli.quiz_cli)
    navigation.register(app, navigation.NavEntry("quiz.index", "Kiểm tra", 30))
