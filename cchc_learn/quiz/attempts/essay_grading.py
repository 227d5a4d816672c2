"""Grading essays by hand: the queue of answers waiting for a trainer, and saving a grade.

Saving a grade locks the attempt's row first (SELECT … FOR UPDATE on PostgreSQL; on SQLite the
request's write transaction already keeps other writers out), then writes the answer's points
and comment and sums the attempt's score again from every item. Grading an answer twice
replaces the first grade; two trainers grading two essays of one attempt at the same moment
each count the other's points, never one twice or none.
"""

from __future__ import annotations

import math
import unicodedata

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from ...audit.service import record
from ...auth.models import User
from ...boundary import strip_controls
from ...clock import utcnow
from ...database import transactional
from ...extensions import db
from ...numbers import vi_number
from ..errors import QuizError
from ..models import CLOSED_STATUSES, Attempt, AttemptItem, Quiz
from .grading import settle

PER_PAGE = 50
MAX_COMMENT = 5_000


class AnswerNotFound(QuizError):
    """No answer a person grades has this id."""

    def __init__(self) -> None:
        super().__init__("Không tìm thấy câu trả lời tự luận này.")


def _waiting():
    return (
        AttemptItem.manual.is_(True),
        AttemptItem.points.is_(None),
        Attempt.status.in_(CLOSED_STATUSES),
    )


def pending_page(quiz: Quiz | None, page: int, per_page: int = PER_PAGE) -> Pagination:
    """Essays waiting for a grade, across quizzes or of one, the longest-waiting first."""
    query = (
        select(AttemptItem)
        .join(AttemptItem.attempt)
        .where(*_waiting())
        .options(
            contains_eager(AttemptItem.attempt).joinedload(Attempt.user),
            contains_eager(AttemptItem.attempt).joinedload(Attempt.quiz),
        )
        .order_by(Attempt.submitted_at, AttemptItem.attempt_id, AttemptItem.position)
    )
    if quiz is not None:
        query = query.where(Attempt.quiz_id == quiz.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def quizzes_waiting() -> list[tuple[Quiz, int]]:
    """Quizzes with essays waiting for a grade, and how many, in title order."""
    count = func.count(AttemptItem.id)
    rows = db.session.execute(
        select(Attempt.quiz_id, count)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(*_waiting())
        .group_by(Attempt.quiz_id)
    ).all()
    counts = dict(rows)
    if not counts:
        return []
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.id.in_(counts)).order_by(Quiz.title, Quiz.id)
    )
    return [(quiz, counts[quiz.id]) for quiz in quizzes]


def get_answer(answer_id: int) -> AttemptItem | None:
    """An answer a person grades (an essay), with its attempt, official and quiz; else None."""
    row = db.session.scalar(
        select(AttemptItem)
        .where(AttemptItem.id == answer_id)
        .options(
            joinedload(AttemptItem.attempt).joinedload(Attempt.user),
            joinedload(AttemptItem.attempt).joinedload(Attempt.quiz),
        )
    )
    return row if row is not None and row.manual else None


def check_points(points: float, maximum: float) -> float:
    """The points as stored, or QuizError when they are not a number from 0 to maximum."""
    if isinstance(points, bool) or not isinstance(points, int | float):
        raise QuizError("Điểm phải là một số.")
    if not math.isfinite(points) or not 0 <= points <= maximum:
        raise QuizError(f"Điểm phải từ 0 đến {vi_number(maximum)}.")
    return float(points) + 0.0  # no negative zero


def clean_comment(comment: str | None) -> str | None:
    """The comment as stored: NFC, LF line breaks, no control characters, ends trimmed."""
    text = unicodedata.normalize("NFC", (comment or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_controls(text).strip()
    if len(text) > MAX_COMMENT:
        raise QuizError(f"Nhận xét dài quá {vi_number(MAX_COMMENT)} ký tự.")
    return text or None


@transactional
def grade_answer(answer_id: int, points: float, comment: str | None, grader_id: int) -> AttemptItem:
    """Store a trainer's grade of one essay and the attempt's new total, as one unit of work.

    Raise AnswerNotFound for an unknown id or an answer the server grades, QuizError when the
    attempt is still open or the points or comment are not acceptable; nothing is written then.
    """
    row = db.session.get(AttemptItem, answer_id)
    if row is None or not row.manual:
        raise AnswerNotFound()
    points = check_points(points, row.max_points)
    text = clean_comment(comment)
    # Lock the attempt, then read its items again: a grade another trainer committed while
    # this request waited for the lock is counted.
    attempt = db.session.scalar(
        select(Attempt)
        .where(Attempt.id == row.attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if attempt is None or attempt.status not in CLOSED_STATUSES:
        raise QuizError("Lượt làm bài này chưa nộp; chỉ chấm được sau khi học viên nộp bài.")
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
        .execution_options(populate_existing=True)
    ).all()
    row = next(item for item in items if item.id == answer_id)
    grader = db.session.get(User, grader_id)
    before = {"points": row.points, "comment": row.grader_comment}
    row.points, row.grader_comment = points, text
    row.graded_at, row.graded_by_id = utcnow(), grader_id
    settle(attempt)
    record(
        grader,
        "quiz.grade_essay",
        "quiz_attempt_item",
        row.id,
        f"Chấm câu tự luận {row.position} lượt {attempt.number} bài kiểm tra "
        f"{attempt.quiz.slug} của {attempt.user.username}: "
        f"{vi_number(points)}/{vi_number(row.max_points)} điểm",
        before=before,
        after={"points": points, "comment": text, "attempt_score": attempt.score},
    )
    return row
