"""What the officials' quiz pages show, each read in one call after closing overdue attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...clock import utcnow
from ...lessons.service import get_module
from ..models import Attempt, Quiz
from ..quizzes.service import list_quizzes
from .lifecycle import attempts_of, attempts_used, closed_reason, is_overdue, sweep_before_reading
from .review import (
    Question,
    ReviewItem,
    Standing,
    essay_items,
    questions,
    review_allowed,
    review_items,
    standings,
)


def start_blocker(quiz: Quiz, standing: Standing) -> str | None:
    """Why the official cannot start (or resume) the quiz now, if so."""
    if standing.open_attempt_id:
        return None
    reason = closed_reason(quiz, utcnow())
    if reason:
        return reason
    if quiz.attempts_allowed is not None and standing.used >= quiz.attempts_allowed:
        return f"Bạn đã dùng hết {quiz.attempts_allowed} lượt làm bài."
    return None


@dataclass
class Board:
    """The quiz list: every live quiz, where the official stands and what stops a start."""

    quizzes: list[Quiz]
    standings: dict[int, Standing]
    blockers: dict[int, str | None]


def quiz_board(user_id: int) -> Board:
    """The quiz list of an official."""
    sweep_before_reading(user_id=user_id)
    quizzes = list_quizzes()
    marks = standings(user_id, quizzes)
    return Board(quizzes, marks, {quiz.id: start_blocker(quiz, marks[quiz.id]) for quiz in quizzes})


@dataclass
class QuizPage:
    """One quiz as an official sees it: the rules, their attempts, whether they may start."""

    standing: Standing
    attempts: list[Attempt]
    blocker: str | None
    module: Any


def quiz_page(quiz: Quiz, user_id: int) -> QuizPage:
    """The page of one quiz for an official."""
    sweep_before_reading(user_id=user_id, quiz_id=quiz.id)
    standing = standings(user_id, [quiz])[quiz.id]
    return QuizPage(
        standing=standing,
        attempts=attempts_of(quiz.id, user_id),
        blocker=start_blocker(quiz, standing),
        module=get_module(quiz.module_slug) if quiz.module_slug else None,
    )


@dataclass
class AttemptPage:
    """An open attempt's questions and seconds left; or `timed_out` when time closed it now."""

    questions: list[Question] = field(default_factory=list)
    remaining: int | None = None
    timed_out: bool = False


def attempt_page(attempt: Attempt) -> AttemptPage:
    """The page of an attempt (closed first when its time is up: then no questions)."""
    page = AttemptPage()
    if attempt.is_open and is_overdue(attempt, utcnow()):
        sweep_before_reading(attempt_id=attempt.id)
        page.timed_out = True
    if not attempt.is_open:
        return page
    if attempt.deadline_at is not None:
        page.remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    page.questions = questions(attempt)
    return page


@dataclass
class ResultPage:
    """A closed attempt's result: the review when the policy allows it, and the essays."""

    review_allowed: bool
    items: list[ReviewItem]
    essays: list[ReviewItem]


def result_page(attempt: Attempt, user_id: int) -> ResultPage | None:
    """The result of an attempt; None while it is open and its time is not up."""
    if attempt.is_open:
        if not is_overdue(attempt, utcnow()):
            return None
        sweep_before_reading(attempt_id=attempt.id)
    quiz = attempt.quiz
    allowed = review_allowed(quiz, attempt, attempts_used(quiz.id, user_id), utcnow())
    return ResultPage(
        review_allowed=allowed,
        items=review_items(attempt) if allowed else [],
        essays=essay_items(attempt),
    )
