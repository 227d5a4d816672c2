"""Grade a closed attempt from its stored responses, once, with the pure graders.

Essays wait for a person: their points stay None, and so do the attempt's score and pass/fail
until the last of them is graded (`settle` is called again then). A blank essay earns 0 at once.
"""

from __future__ import annotations

from ..extensions import db
from .bank_service import stored_item
from .grading import grade
from .models import Attempt, AttemptChoice
from .responses import chosen_keys, grader_response, typed_answer

# A pass mark of 70 % must be reached by 7 of 10 despite binary fractions.
_EPSILON = 1e-9


def grade_attempt(attempt: Attempt) -> None:
    """Score every item of a just-closed attempt and record the choices made; no commit."""
    for row in attempt.items:
        item = stored_item(row.item)
        response = grader_response(item.type, row.layout, row.response)
        row.answer_text = typed_answer(item.type, row.response)
        if row.manual:
            row.points = None if response else 0.0
            continue
        score = grade(item, response)
        row.points = (score.points or 0.0) * row.max_points
        for key in chosen_keys(item.type, row.layout, row.response):
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
