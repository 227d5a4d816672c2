"""The item analysis page of a quiz, for trainers."""

from __future__ import annotations

from flask import abort, render_template

from ...access import roles_required
from ..attempts.lifecycle import sweep_before_reading
from ..blueprints import EDITORS, bp
from ..quizzes.service import get_quiz
from .service import analyse


@bp.route("/manage/quizzes/<quiz_slug>/analysis")
@roles_required(*EDITORS)
def item_analysis(quiz_slug: str):
    quiz = get_quiz(quiz_slug, include_archived=True)
    if quiz is None:
        abort(404)
    sweep_before_reading(quiz_id=quiz.id)
    return render_template("quiz/manage/analysis.html", quiz=quiz, result=analyse(quiz))
