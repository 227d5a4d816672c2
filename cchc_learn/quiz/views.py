"""Quiz pages for every signed-in official: list, rules, the attempt, the result."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import signed_in
from ..clock import utcnow
from ..extensions import db
from ..lessons.service import get_module
from ..timefmt import vn_datetime
from . import attempts, quiz_service, review
from .errors import QuizError
from .forms import ActionForm
from .models import Attempt, Quiz

bp = Blueprint("quiz", __name__, url_prefix="/quizzes")

LATE = (
    "Đã hết giờ làm bài: câu trả lời gửi sau hạn nộp không được ghi nhận; "
    "bài được chấm theo các câu đã lưu trước hạn."
)
ALREADY_SUBMITTED = "Bài này đã được nộp và chấm; câu trả lời gửi thêm không được ghi nhận."


def _quiz(slug: str) -> Quiz:
    quiz = quiz_service.get_quiz(slug)
    if quiz is None:
        abort(404)
    return quiz


def _own(attempt_id: int) -> Attempt:
    attempt = attempts.get_own_attempt(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _start_blocker(quiz: Quiz, standing: review.Standing) -> str | None:
    if standing.open_attempt_id:
        return None
    reason = attempts.closed_reason(quiz, utcnow())
    if reason:
        return reason
    if quiz.attempts_allowed is not None and standing.used >= quiz.attempts_allowed:
        return f"Bạn đã dùng hết {quiz.attempts_allowed} lượt làm bài."
    return None


@bp.route("/")
@signed_in
def index():
    attempts.sweep_before_reading(user_id=current_user.id)
    quizzes = quiz_service.list_quizzes()
    standings = review.standings(current_user.id, quizzes)
    blockers = {quiz.id: _start_blocker(quiz, standings[quiz.id]) for quiz in quizzes}
    return render_template(
        "quiz/index.html", quizzes=quizzes, standings=standings, blockers=blockers
    )


@bp.route("/<quiz_slug>")
@signed_in
def show(quiz_slug: str):
    quiz = _quiz(quiz_slug)
    attempts.sweep_before_reading(user_id=current_user.id, quiz_id=quiz.id)
    standing = review.standings(current_user.id, [quiz])[quiz.id]
    mine = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == current_user.id)
        .order_by(Attempt.number)
    ).all()
    return render_template(
        "quiz/show.html",
        quiz=quiz,
        standing=standing,
        attempts=mine,
        blocker=_start_blocker(quiz, standing),
        module=get_module(quiz.module_slug) if quiz.module_slug else None,
        form=ActionForm(),
    )


@bp.route("/<quiz_slug>/start", methods=["POST"])
@signed_in
def start(quiz_slug: str):
    quiz = _quiz(quiz_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_attempt(quiz, current_user.id)
    except QuizError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("quiz.show", quiz_slug=quiz.slug))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@signed_in
def attempt(attempt_id: int):
    attempt = _own(attempt_id)
    if attempt.is_open and attempts.is_overdue(attempt, utcnow()):
        attempts.sweep_before_reading(attempt_id=attempt.id)
        flash("Đã hết giờ làm bài; bài được chấm theo các câu trả lời đã lưu.", "warning")
    if not attempt.is_open:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    remaining = None
    if attempt.deadline_at is not None:
        remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    return render_template(
        "quiz/attempt.html",
        attempt=attempt,
        quiz=attempt.quiz,
        questions=review.questions(attempt),
        remaining=remaining,
    )


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
        outcome = attempts.submit(attempt, request.form)
        if outcome.late:
            flash(LATE, "warning")
        # A submit that lost a race with another of the official's own submits sees the
        # graded result like the winner: the attempt was submitted, not closed by time.
        for problem in outcome.problems:
            flash(problem, "warning")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    outcome = attempts.save_answers(attempt, request.form)
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
    outcome = attempts.save_answers(attempt, request.form)
    if not outcome.recorded:
        message = LATE if outcome.late else "Bài đã được nộp."
        return jsonify(saved=False, closed=True, message=message, result_url=result_url), 409
    return jsonify(saved=True, saved_at=vn_datetime(outcome.saved_at), problems=outcome.problems)


@bp.route("/attempts/<int:attempt_id>/result")
@signed_in
def result(attempt_id: int):
    attempt = _own(attempt_id)
    if attempt.is_open:
        if not attempts.is_overdue(attempt, utcnow()):
            return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
        attempts.sweep_before_reading(attempt_id=attempt.id)
    quiz = attempt.quiz
    used = attempts.attempts_used(quiz.id, current_user.id)
    allowed = review.review_allowed(quiz, attempt, used, utcnow())
    return render_template(
        "quiz/result.html",
        attempt=attempt,
        quiz=quiz,
        review_allowed=allowed,
        items=review.review_items(attempt) if allowed else [],
        essays=review.essay_items(attempt),
    )
