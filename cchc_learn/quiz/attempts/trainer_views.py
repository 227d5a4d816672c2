"""Trainer pages about people: a quiz's attempts (list, exports, one attempt), essay grading."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import roles_required
from ...boundary import page_number
from ...clock import utcnow
from ...extensions import db
from ...numbers import vi_number
from ...sheets import XLSX_TYPE
from ..blueprints import EDITORS
from ..blueprints import attempts_bp as bp
from ..errors import QuizError
from ..models import Attempt, Quiz
from ..quizzes.service import get_quiz
from . import essay_grading, export, lifecycle, listing, review
from .forms import EssayGradeForm


def _quiz(slug: str) -> Quiz:
    quiz = get_quiz(slug, include_archived=True)
    if quiz is None:
        abort(404)
    return quiz


def _filters() -> listing.Filters:
    return listing.read_filters(request.args.get("unit"), request.args.get("state"))


@bp.route("/quizzes/<quiz_slug>/attempts")
@roles_required(*EDITORS)
def list_attempts(quiz_slug: str):
    quiz = _quiz(quiz_slug)
    lifecycle.sweep_before_reading(quiz_id=quiz.id)
    filters = _filters()
    return render_template(
        "quiz/manage/attempts.html",
        quiz=quiz,
        filters=filters,
        pagination=listing.list_page(quiz, filters, page_number()),
        units=listing.unit_options(),
        states=listing.STATES,
    )


def _export(quiz_slug: str, write, mimetype: str, extension: str) -> Response:
    """A quiz's attempts (as filtered) as a file to download, written by `write`."""
    quiz = _quiz(quiz_slug)
    lifecycle.sweep_before_reading(quiz_id=quiz.id)
    rows = listing.export_rows(quiz, _filters())
    return Response(
        write(rows),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="luot-lam-bai-{quiz.slug}.{extension}"'
        },
    )


@bp.route("/quizzes/<quiz_slug>/attempts.csv")
@roles_required(*EDITORS)
def export_attempts_csv(quiz_slug: str):
    return _export(quiz_slug, export.to_csv, "text/csv; charset=utf-8", "csv")


@bp.route("/quizzes/<quiz_slug>/attempts.xlsx")
@roles_required(*EDITORS)
def export_attempts_xlsx(quiz_slug: str):
    return _export(quiz_slug, export.to_xlsx, XLSX_TYPE, "xlsx")


@bp.route("/attempts/<int:attempt_id>")
@roles_required(*EDITORS)
def review_attempt(attempt_id: int):
    attempt = db.get_or_404(Attempt, attempt_id)
    if attempt.is_open and lifecycle.is_overdue(attempt, utcnow()):
        lifecycle.sweep_before_reading(attempt_id=attempt.id)
    return render_template(
        "quiz/manage/attempt.html",
        attempt=attempt,
        quiz=attempt.quiz,
        official=attempt.user,
        items=[] if attempt.is_open else review.review_items(attempt),
    )


@bp.route("/grading/")
@roles_required(*EDITORS)
def grading_queue():
    lifecycle.sweep_before_reading()  # an attempt closed by its deadline may hold essays
    slug = (request.args.get("quiz") or "").strip()
    quiz = get_quiz(slug, include_archived=True) if slug else None
    return render_template(
        "quiz/manage/grading_queue.html",
        quiz=quiz,
        quizzes=essay_grading.quizzes_waiting(),
        pagination=essay_grading.pending_page(quiz, page_number()),
    )


@bp.route("/grading/<int:answer_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def grade_answer(answer_id: int):
    answer = essay_grading.get_answer(answer_id)
    if answer is None:
        abort(404)
    form = EssayGradeForm(maximum=answer.max_points)
    if request.method == "GET" and answer.points is not None and answer.graded_at is not None:
        form.score.data = vi_number(answer.points, digits=6)
        form.comment.data = answer.grader_comment or ""
    error = None
    if form.validate_on_submit():
        try:
            graded = essay_grading.grade_answer(
                answer_id, form.points, form.comment.data, current_user.id
            )
        except essay_grading.AnswerNotFound:
            abort(404)
        except QuizError as exc:
            error = str(exc)
        else:
            flash(
                f"Đã chấm câu {graded.position} của {graded.attempt.user.full_name}: "
                f"{vi_number(graded.points)}/{vi_number(graded.max_points)} điểm.",
                "success",
            )
            quiz = request.args.get("quiz") or None
            return redirect(url_for("quiz_attempts.grading_queue", quiz=quiz))
    essay = next(item for item in review.essay_items(answer.attempt) if item.answer_id == answer.id)
    status = 422 if error or form.errors else 200
    return render_template(
        "quiz/manage/grade_answer.html",
        answer=answer,
        attempt=answer.attempt,
        essay=essay,
        form=form,
        error=error,
    ), status
