"""Question banks and quizzes: authoring, attempts graded by the server (essays by trainers).

Sub-packages, from the bottom up: `questions` (the item model and one module per question
type), `formats` (bank files), `banks`, `quizzes` (definitions), `attempts` (taking and
grading them) and `analysis`. Each keeps its pages next to its services.
"""

from flask import Flask

from .. import navigation, periodic


def init_app(app: Flask) -> None:
    """Register the models, both blueprints (officials' and trainers' pages), menu and CLI."""
    from ..content import kinds
    from . import blueprints, cli, content, gauges, models  # noqa: F401
    from .analysis import views as analysis_views  # noqa: F401
    from .attempts import trainer_views, views  # noqa: F401
    from .banks import views as bank_views  # noqa: F401
    from .questions import question_type
    from .quizzes import views as quiz_views  # noqa: F401

    # Each question type's template shows it on the attempt, review and preview pages.
    app.add_template_global(lambda name: question_type(name).template, "question_template")
    app.register_blueprint(blueprints.bp)
    app.register_blueprint(blueprints.attempts_bp)
    app.cli.add_command(cli.quiz_cli)
    periodic.register_job(app, "quiz", cli.sweep_job)
    gauges.register(app)
    kinds.register(app, content.QUIZZES)
    navigation.register(app, navigation.NavEntry("quiz.index", "Kiểm tra", 30))
