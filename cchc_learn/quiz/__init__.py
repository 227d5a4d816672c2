"""Question banks and quizzes: authoring, attempts with server-side grading, item analysis."""

from flask import Flask

from .. import navigation


def init_app(app: Flask) -> None:
    """Register the models, pages, menu entry and the `quiz` commands."""
    from . import bank_views, cli, models, trainer_views, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.quiz_cli)
    navigation.register(app, navigation.NavEntry("quiz.index", "Kiểm tra", 30))
