"""Trainer pages for quizzes: the list, and creating or editing a quiz in the browser."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from ...access import roles_required
from ...timefmt import as_local
from ..blueprints import EDITORS, bp
from ..errors import QuizError
from ..models import Quiz
from ..quiz_loader import QuizSpec, draw_lines, draws_from_lines, read_quiz
from . import service
from .forms import QuizForm


def _quiz(slug: str) -> Quiz:
    quiz = service.get_quiz(slug, include_archived=True)
    if quiz is None:
        abort(404)
    return quiz


@bp.route("/manage/")
@roles_required(*EDITORS)
def manage():
    return render_template("quiz/manage/quizzes.html", rows=service.trainer_list())


def _moment(value) -> str:
    return as_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _fill(form: QuizForm, quiz: Quiz) -> None:
    form.slug.data, form.title.data, form.module.data = quiz.slug, quiz.title, quiz.module_slug
    form.description.data, form.draws.data = quiz.description_md, draw_lines(quiz.draws)
    form.time_limit.data, form.attempts.data = quiz.time_limit, quiz.attempts_allowed
    form.pass_mark.data, form.review.data = int(round(quiz.pass_mark)), quiz.review
    form.shuffle_questions.data = quiz.shuffle_questions
    form.shuffle_options.data = quiz.shuffle_options
    form.essays.data = quiz.essays
    form.opens.data, form.closes.data = _moment(quiz.opens_at), _moment(quiz.closes_at)


def _spec(form: QuizForm, slug: str) -> tuple[QuizSpec | None, list[str]]:
    draws, lines, unread = draws_from_lines(form.draws.data or "")
    meta: dict[str, Any] = {
        "title": form.title.data,
        "draw": draws,
        "pass_mark": form.pass_mark.data,
        "review": form.review.data,
        "shuffle_questions": bool(form.shuffle_questions.data),
        "shuffle_options": bool(form.shuffle_options.data),
        "essays": bool(form.essays.data),
    }
    for key, value in (
        ("module", form.module.data),
        ("time_limit", form.time_limit.data),
        ("attempts", form.attempts.data),
        ("opens", form.opens.data),
        ("closes", form.closes.data),
    ):
        if value not in (None, ""):
            meta[key] = value.strip() if isinstance(value, str) else value
    spec, problems = read_quiz(
        meta,
        slug,
        form.description.data or "",
        path="",
        line_of=lambda _key: 0,
        entry_lines=lambda key: lines if key == "draw" else [],
    )
    return spec, [problem.message for problem in unread + problems]


def _edit(quiz: Quiz | None):
    form = QuizForm()
    if request.method == "GET" and quiz is not None:
        _fill(form, quiz)
    if quiz is not None and quiz.from_file:
        return render_template("quiz/manage/quiz_form.html", form=form, quiz=quiz, read_only=True)
    error, problems = None, []
    if form.validate_on_submit():
        slug = quiz.slug if quiz is not None else (form.slug.data or "").strip()
        spec, problems = _spec(form, slug)
        if spec is None:
            error = "Bài kiểm tra chưa lưu được."
        else:
            try:
                saved = service.save_quiz(quiz, spec)
            except QuizError as exc:
                error, problems = str(exc), exc.problems
            else:
                flash(f"Đã lưu bài kiểm tra {saved.title}.", "success")
                return redirect(url_for("quiz.manage"))
    status = 422 if error or form.errors else 200
    return render_template(
        "quiz/manage/quiz_form.html",
        form=form,
        quiz=quiz,
        read_only=False,
        error=error,
        problems=problems,
    ), status


@bp.route("/manage/quizzes/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_quiz():
    return _edit(None)


@bp.route("/manage/quizzes/<quiz_slug>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_quiz(quiz_slug: str):
    return _edit(_quiz(quiz_slug))
