"""What the pages show of attempts: the questions of an open one, the review of a closed one.

The attempt page is built only from `questions()`, which carries stems, option texts and
opaque ids: no weight, no feedback, nothing that tells which option is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select

from ...extensions import db
from ..formats import stored_item
from ..models import OPEN, Attempt, AttemptItem, Quiz
from ..questions import Choice, ReviewOption, question_type
from .grading import grader_response


@dataclass
class Question:
    """One question as the attempt page shows it (the fields its type's template uses)."""

    position: int
    type: str
    stem_html: str
    choices: list[Choice] = field(default_factory=list)
    text: str = ""
    lefts: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, html, chosen
    rights: list[Choice] = field(default_factory=list)


def questions(attempt: Attempt) -> list[Question]:
    """The questions of an attempt in its fixed order, with the answers saved so far."""
    out = []
    for row in attempt.items:
        kind = question_type(row.item["type"])
        out.append(
            Question(
                row.position,
                kind.name,
                row.rendered.get("stem", ""),
                **kind.offer(row.rendered, row.layout, row.response),
            )
        )
    return out


@dataclass
class ReviewItem:
    """One answered question with its grade, the right answer and the explanation."""

    position: int
    type: str
    stem_html: str
    points: float
    max_points: float
    status: str  # correct, partial, wrong, blank; essays: pending, graded, blank
    options: list[ReviewOption] = field(default_factory=list)
    typed: str | None = None
    accepted: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str | None, str, bool]] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    explanation_html: str = ""
    ref: dict[str, Any] | None = None
    answer_id: int = 0
    manual: bool = False
    comment: str | None = None
    graded_at: datetime | None = None
    grader: str | None = None


def _status(points: float, maximum: float, response: Any) -> str:
    if response in (None, [], {}, ""):
        return "blank"
    if points >= maximum - 1e-9:
        return "correct"
    return "partial" if points > 0 else "wrong"


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Every item of a closed attempt with what was answered, what was right and why."""
    out = []
    for row in attempt.items:
        item, rendered, layout, saved = (
            stored_item(row.item),
            row.rendered,
            row.layout,
            row.response,
        )
        kind = question_type(item.type)
        response = grader_response(item.type, layout, saved)
        score = kind.grade(item, response)
        points = row.points or 0.0
        entry = ReviewItem(
            position=row.position,
            type=item.type,
            stem_html=rendered.get("stem", ""),
            points=points,
            max_points=row.max_points,
            status=_status(points, row.max_points, saved),
            explanation_html=rendered.get("explanation", ""),
            ref=rendered.get("ref"),
            **kind.review(item, rendered, layout, saved, response, score),
        )
        if row.manual:
            _essay(entry, row, saved)
        out.append(entry)
    return out


def _essay(entry: ReviewItem, row: AttemptItem, saved: Any) -> None:
    entry.manual, entry.answer_id = True, row.id
    entry.typed = saved if isinstance(saved, str) else None
    entry.comment = row.grader_comment
    entry.graded_at = row.graded_at
    entry.grader = row.graded_by.full_name if row.graded_by is not None else None
    if row.points is None:
        entry.status = "pending"
    elif entry.typed or row.graded_at is not None:
        entry.status = "graded"


def essay_items(attempt: Attempt) -> list[ReviewItem]:
    """The essays of an attempt with their grade and comment (shown whatever the review policy)."""
    out = []
    for row in attempt.items:
        if row.manual:
            entry = ReviewItem(
                position=row.position,
                type=row.item["type"],
                stem_html=row.rendered.get("stem", ""),
                points=row.points or 0.0,
                max_points=row.max_points,
                status="blank",
            )
            _essay(entry, row, row.response)
            out.append(entry)
    return out


def review_allowed(quiz: Quiz, attempt: Attempt, used: int, at: datetime) -> bool:
    """Whether the review policy lets the official see answers and explanations now.

    `after_close` opens the review when the quiz has closed, or, for a quiz without a closing
    time, once the official has used every allowed attempt.
    """
    if attempt.status == OPEN:
        return False
    if quiz.review == "immediately":
        return True
    if quiz.review == "never":
        return False
    if quiz.closes_at is not None:
        return at >= quiz.closes_at
    return quiz.attempts_allowed is not None and used >= quiz.attempts_allowed


@dataclass
class Standing:
    """Where an official stands with a quiz."""

    used: int = 0
    best_percent: float | None = None
    passed: bool = False
    open_attempt_id: int | None = None
    awaiting_grading: bool = False  # a submitted attempt has an essay nobody graded yet


def standings(user_id: int, quizzes: Iterable[Quiz]) -> dict[int, Standing]:
    """Attempts used, best score, passed and open attempt per quiz (one aggregate query)."""
    ids = [quiz.id for quiz in quizzes]
    result = {quiz_id: Standing() for quiz_id in ids}
    if not ids:
        return result
    percent = case((Attempt.max_score > 0, Attempt.score * 100.0 / Attempt.max_score), else_=None)
    rows = db.session.execute(
        select(
            Attempt.quiz_id,
            func.count(),
            func.max(percent),
            func.max(case((Attempt.passed.is_(True), 1), else_=0)),
            func.max(case((Attempt.status == OPEN, Attempt.id), else_=None)),
            func.max(case((and_(Attempt.status != OPEN, Attempt.score.is_(None)), 1), else_=0)),
        )
        .where(Attempt.user_id == user_id, Attempt.quiz_id.in_(ids))
        .group_by(Attempt.quiz_id)
    )
    for quiz_id, used, best, passed, open_id, waiting in rows:
        result[quiz_id] = Standing(used, best, bool(passed), open_id, bool(waiting))
    return result
