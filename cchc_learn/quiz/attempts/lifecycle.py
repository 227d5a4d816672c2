"""The life of an attempt: start or resume, save answers, submit, and close when time is up.

Every change of state is a guarded UPDATE (`… WHERE status = 'open' AND deadline not passed`)
whose row count says whether this request won: two submits, or a submit racing the sweeper,
grade an attempt exactly once, on SQLite and on PostgreSQL alike. A partial unique index keeps
one open attempt per official and quiz; a unique attempt number keeps the attempt limit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...database import declare_write, transactional
from ...extensions import db
from ...timefmt import vn_datetime
from ..errors import QuizError
from ..formats import stored_item
from ..models import EXPIRED, OPEN, SUBMITTED, Attempt, AttemptItem, Quiz
from ..questions import Form, question_type
from .answers import read_responses
from .drawing import draw, layout_for
from .grading import grade_attempt

# Answers posted this long after the deadline still count: the page's clock, the network and
# a slow old PC all take their share.
GRACE = timedelta(seconds=30)


def deadline_for(quiz: Quiz, started: datetime) -> datetime | None:
    """When an attempt started at `started` must end: its time limit or the quiz's closing."""
    ends = []
    if quiz.time_limit:
        ends.append(started + timedelta(minutes=quiz.time_limit))
    if quiz.closes_at:
        ends.append(quiz.closes_at)
    return min(ends) if ends else None


def is_overdue(attempt: Attempt, at: datetime) -> bool:
    """Whether an open attempt's deadline (plus grace) has passed."""
    return attempt.deadline_at is not None and at > attempt.deadline_at + GRACE


def _accepting(at: datetime):
    return (
        Attempt.status == OPEN,
        or_(Attempt.deadline_at.is_(None), Attempt.deadline_at >= at - GRACE),
    )


def get_own_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt if it belongs to the user (anyone else's is as good as missing)."""
    attempt = db.session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def open_attempt(quiz_id: int, user_id: int) -> Attempt | None:
    """The user's open attempt at the quiz, if any."""
    return db.session.scalar(
        select(Attempt).where(
            Attempt.quiz_id == quiz_id, Attempt.user_id == user_id, Attempt.status == OPEN
        )
    )


def attempts_used(quiz_id: int, user_id: int) -> int:
    """How many attempts the user has started at the quiz."""
    return (
        db.session.scalar(
            select(func.count()).where(Attempt.quiz_id == quiz_id, Attempt.user_id == user_id)
        )
        or 0
    )


def attempts_of(quiz_id: int, user_id: int) -> list[Attempt]:
    """The user's attempts at the quiz, first to last."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz_id, Attempt.user_id == user_id)
            .order_by(Attempt.number)
        )
    )


def closed_reason(quiz: Quiz, at: datetime) -> str | None:
    """Why the quiz cannot be started now (not yet open, closed, withdrawn), if so."""
    if quiz.archived:
        return "Bài kiểm tra này đã ngừng sử dụng."
    if quiz.opens_at and at < quiz.opens_at:
        return f"Bài kiểm tra mở lúc {vn_datetime(quiz.opens_at)}."
    if quiz.closes_at and at >= quiz.closes_at:
        return f"Bài kiểm tra đã đóng lúc {vn_datetime(quiz.closes_at)}."
    return None


@transactional
def start_attempt(quiz: Quiz, user_id: int) -> Attempt:
    """Resume the user's open attempt or start a new one with drawn items (one unit of work).

    Overdue attempts of the user are closed first. Raise QuizError when the quiz cannot be
    started now; nothing is written then.
    """
    at = utcnow()
    sweep(quiz_id=quiz.id, user_id=user_id, at=at)
    current = open_attempt(quiz.id, user_id)
    if current is not None:
        return current
    reason = closed_reason(quiz, at)
    if reason:
        raise QuizError(reason)
    used = attempts_used(quiz.id, user_id)
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise QuizError(f"Bạn đã dùng hết {quiz.attempts_allowed} lượt làm bài kiểm tra này.")
    seed = secrets.randbits(31)
    rng = Random(seed)
    rows = draw(quiz, rng)
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user_id,
        number=used + 1,
        quiz_version=quiz.version,
        seed=seed,
        status=OPEN,
        started_at=at,
        deadline_at=deadline_for(quiz, at),
        max_score=float(len(rows)),
        pass_mark=quiz.pass_mark,
    )
    for position, row in enumerate(rows, start=1):
        item = stored_item(row.data)
        attempt.items.append(
            AttemptItem(
                position=position,
                bank_item_id=row.id,
                item_version=row.version,
                item=row.data,
                rendered=row.rendered,
                layout=layout_for(item, rng, quiz.shuffle_options),
                max_points=1.0,
                manual=question_type(row.type).manual,
            )
        )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request of the same official started one a moment ago: resume that one.
        current = open_attempt(quiz.id, user_id)
        if current is None:
            raise QuizError("Không bắt đầu được lượt làm bài; hãy thử lại.") from None
        return current
    return attempt


@dataclass
class SaveOutcome:
    """What happened to posted answers."""

    recorded: bool
    problems: list[str] = field(default_factory=list)
    saved_at: datetime | None = None
    # Why nothing was recorded: the deadline passed (True), or another request of the same
    # official submitted the attempt first (False: it is graded like theirs).
    late: bool = False


def _claim(attempt: Attempt, at: datetime, values: dict[str, Any]) -> bool:
    outcome = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, *_accepting(at))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(attempt, ["status", "submitted_at", "last_saved_at"])
    return outcome.rowcount == 1


def _write(attempt: Attempt, responses: dict[int, Any], at: datetime) -> None:
    for row in attempt.items:
        if row.position in responses and row.response != responses[row.position]:
            row.response = responses[row.position]
            row.autosaved_at = at


def _close_late(attempt: Attempt) -> bool:
    """Close an attempt a request could not claim; True when its deadline closed it."""
    sweep(attempt_id=attempt.id, at=utcnow())
    db.session.refresh(attempt)
    return attempt.status != SUBMITTED


@transactional
def save_answers(attempt: Attempt, form: Form) -> SaveOutcome:
    """Store the answers of an open attempt before its deadline, as one unit of work."""
    responses, problems = read_responses(attempt.items, form)
    at = utcnow()
    if not _claim(attempt, at, {"last_saved_at": at}):
        return SaveOutcome(recorded=False, problems=problems, late=_close_late(attempt))
    _write(attempt, responses, at)
    return SaveOutcome(recorded=True, problems=problems, saved_at=at)


@transactional
def submit(attempt: Attempt, form: Form | None = None) -> SaveOutcome:
    """Store the last answers, close and grade the attempt, exactly once (one unit of work).

    A second or late submit records nothing: the attempt was graded already (or is graded now
    with what was saved before the deadline).
    """
    responses, problems = read_responses(attempt.items, form) if form is not None else ({}, [])
    at = utcnow()
    if not _claim(attempt, at, {"status": SUBMITTED, "submitted_at": at, "last_saved_at": at}):
        return SaveOutcome(recorded=False, problems=problems, late=_close_late(attempt))
    _write(attempt, responses, at)
    db.session.flush()
    grade_attempt(attempt)
    return SaveOutcome(recorded=True, problems=problems, saved_at=at)


@transactional
def sweep(
    *,
    at: datetime | None = None,
    user_id: int | None = None,
    quiz_id: int | None = None,
    attempt_id: int | None = None,
) -> int:
    """Close and grade overdue open attempts with what they saved; return how many.

    One unit of work; called inside another (starting or submitting), it commits with it.
    """
    at = at or utcnow()
    cut = at - GRACE
    query = select(Attempt.id).where(
        Attempt.status == OPEN, Attempt.deadline_at.is_not(None), Attempt.deadline_at < cut
    )
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    if attempt_id is not None:
        query = query.where(Attempt.id == attempt_id)
    closed = 0
    for overdue_id in list(db.session.scalars(query.order_by(Attempt.id))):
        outcome = db.session.execute(
            update(Attempt)
            .where(Attempt.id == overdue_id, Attempt.status == OPEN, Attempt.deadline_at < cut)
            .values(status=EXPIRED, submitted_at=Attempt.deadline_at)
            .execution_options(synchronize_session=False)
        )
        if outcome.rowcount != 1:
            continue  # another worker closed it first
        attempt = db.session.get(Attempt, overdue_id, populate_existing=True)
        grade_attempt(attempt)
        db.session.flush()
        closed += 1
    return closed


_FILTERS = {"user_id": Attempt.user_id, "quiz_id": Attempt.quiz_id, "attempt_id": Attempt.id}


def sweep_before_reading(**filters: int) -> int:
    """Close overdue attempts from a page that otherwise only reads; commit when it did."""
    at = utcnow()
    query = select(func.count()).where(
        Attempt.status == OPEN,
        Attempt.deadline_at.is_not(None),
        Attempt.deadline_at < at - GRACE,
        *(_FILTERS[name] == value for name, value in filters.items()),
    )
    if not db.session.scalar(query):
        return 0
    # End the read transaction and write with the lock taken up front (SQLite: BEGIN IMMEDIATE).
    db.session.rollback()
    declare_write()
    return sweep(at=at, **filters)
