"""Grade a closed attempt from its stored responses, once, with the graders of the types.

Essays wait for a person: their points stay None, and so do the attempt's score and pass/fail
until the last of them is graded (`settle` is called again then). A blank essay earns 0 at once.
"""

from __future__ import annotations

from typing import Any

from ...extensions import db
from ..formats import stored_item
from ..models import Attempt, AttemptChoice
from ..questions import question_type

# A pass mark of 70 % must be reached by 7 of 10 despite binary fractions.
_EPSILON = 1e-9


def grader_response(kind: str, layout: dict[str, Any], stored: Any) -> Any:
    """Turn a stored response into the keys and values the graders take."""
    if stored is None:
        return None
    return question_type(kind).grader_response(layout, stored)


def grade_attempt(attempt: Attempt) -> None:
    """Score every item of a just-closed attempt and record the choices made; no commit."""
    for row in attempt.items:
        item = stored_item(row.item)
        kind = question_type(item.type)
        response = grader_response(item.type, row.layout, row.response)
        row.answer_text = kind.typed_answer(row.response)
        if row.manual:
            row.points = None if response else 0.0
            continue
        score = kind.grade(item, response)
        row.points = (score.points or 0.0) * row.max_points
        for key in kind.chosen_keys(response):
            db.session.add(AttemptChoice(attempt_item_id=row.id, option_key=key))
    settle(attempt)


def settle(attempt: Attempt) -> None:
    """Set the attempt's score and pass/fail from its items' points (None while any waits)."""
    maximum = sum(row.max_points for row in attempt.items)
    attempt.max_score = maximum
    if any(row.points is None for row in attempt.items):
        attempt.score = None
        attempt.passed = None
        return
    attempt.score = sum(row.points for row in attempt.items)
    attempt.passed = maximum > 0 and 100.0 * attempt.score / maximum >= attempt.pass_mark - _EPSILON
