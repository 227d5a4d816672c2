"""Quiz pages for every signed-in official: list, rules, the attempt, the result.

Each page read in pages.py hands its fields to its template by their names.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import signed_in
from ...timefmt import vn_datetime
from ..blueprints import bp
from ..errors import QuizError
from ..forms import ActionForm
from ..models import Attempt, Quiz
from ..quizzes.service import get_quiz
from . import lifecycle, pages

LATE = (
    "Đã hết giờ làm bài: câu trả lời gửi sau hạn nộp không được ghi nhận; "
    "bài được chấm theo các câu đã lưu trước hạn."
)
ALREADY_SUBMITTED = "Bài này đã được nộp và chấm; câu trả lời gửi thêm không được ghi nhận."


def _quiz(slug: str) -> Quiz:
    quiz = get_quiz(slug)
    if quiz is None:
        abort(404)
    return quiz


def _own(attempt_id: int) -> Attempt:
    attempt = lifecycle.get_own_attempt(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


@bp.route("/")
@signed_in
def index():
    return render_template("quiz/index.html", **vars(pages.quiz_board(current_user.id)))


@bp.route("/<quiz_slug>")
@signed_in
def show(quiz_slug: str):
    quiz = _quiz(quiz_slug)
    page = pages.quiz_page(quiz, current_user.id)
    return render_template("quiz/show.html", quiz=quiz, form=ActionForm(), **vars(page))


@bp.route("/<quiz_slug>/start", methods=["POST"])
@signed_in
def start(quiz_slug: str):
    quiz = _quiz(quiz_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = lifecycle.start_attempt(quiz, current_user.id)
    except QuizError as exc:
        flash(str(exc), "error")
        return redirect(url_for("quiz.show", quiz_slug=quiz.slug))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@signed_in
def attempt(attempt_id: int):
    attempt = _own(attempt_id)
    page = pages.attempt_page(attempt)
    if page.timed_out:
        flash("Đã hết giờ làm bài; bài được chấm theo các câu trả lời đã lưu.", "warning")
    if not attempt.is_open:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return render_template("quiz/attempt.html", attempt=attempt, quiz=attempt.quiz, **vars(page))


@bp.route("/attempts/<int:attempt_id>", methods=["POST"])
@signed_in
def save_answers(attempt_id: int):
    attempt = _own(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not attempt.is_open:
        flash(ALREADY_SUBMITTED, "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if request.form.get("action") == "submit":
        outcome = lifecycle.submit(attempt, request.form)
        if outcome.late:
            flash(LATE, "warning")
        # A submit that lost a race with another of the official's own submits sees the
        # graded result like the winner: the attempt was submitted, not closed by time.
        for problem in outcome.problems:
            flash(problem, "warning")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    outcome = lifecycle.save_answers(attempt, request.form)
    for problem in outcome.problems:
        flash(problem, "warning")
    if not outcome.recorded:
        flash(LATE if outcome.late else ALREADY_SUBMITTED, "warning" if outcome.late else "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    flash(f"Đã lưu câu trả lời lúc {vn_datetime(outcome.saved_at)}.", "success")
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@signed_in
def autosave(attempt_id: int):
    attempt = _own(attempt_id)
    result_url = url_for("quiz.result", attempt_id=attempt.id)
    if not attempt.is_open:
        return jsonify(
            saved=False, closed=True, message="Bài đã được nộp.", result_url=result_url
        ), 409
    outcome = lifecycle.save_answers(attempt, request.form)
    if not outcome.recorded:
        message = LATE if outcome.late else "Bài đã được nộp."
        return jsonify(saved=False, closed=True, message=message, result_url=result_url), 409
    return jsonify(saved=True, saved_at=vn_datetime(outcome.saved_at), problems=outcome.problems)


@bp.route("/attempts/<int:attempt_id>/result")
@signed_in
def result(attempt_id: int):
    attempt = _own(attempt_id)
    page = pages.result_page(attempt, current_user.id)
    if page is None:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    return render_template("quiz/result.html", attempt=attempt, quiz=attempt.quiz, **vars(page))
