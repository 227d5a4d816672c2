"""Grade a closed attempt from its stored responses, once, with the pure graders."""

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
    total = maximum = 0.0
    for row in attempt.items:
        item = stored_item(row.item)
        response = grader_response(item.type, row.layout, row.response)
        score = grade(item, response)
        row.points = (score.points or 0.0) * row.max_points
        row.answer_text = typed_answer(item.type, row.response)
        for key in chosen_keys(item.type, row.layout, row.response):
            db.session.add(AttemptChoice(attempt_item_id=row.id, option_key=key))
        total += row.points
        maximum += row.max_points
    attempt.score = total
    attempt.max_score = maximum
    attempt.passed = maximum > 0 and 100.0 * attempt.score / maximum >= attempt.pass_mark - _EPSILON
