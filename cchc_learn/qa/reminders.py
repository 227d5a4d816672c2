"""The `qa` job of `cchc-learn tick`: deadline reminders and FAQ entries to review.

A question whose clock has used the reminder share of its time ("near") and one past its due
time ("overdue") get one reminder each per clock period: the row in qa_reminder is unique per
question, threshold and due time, so running the job again, or on several hosts at once,
never sends a reminder twice. The assignee is told, or the moderators of the question's
topics while nobody is assigned.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..database import transactional
from ..extensions import db
from . import deadlines, faq, routing
from .models import Question, Reminder
from .states import WAITING
from .workflow import short, tell

MESSAGES = {
    "near": "Câu hỏi sắp đến hạn trả lời",
    "overdue": "Câu hỏi đã quá hạn trả lời",
}


def _remind(question: Question, threshold: str) -> bool:
    """Note the reminder once (False when it was already sent) and tell the moderators."""
    try:
        with db.session.begin_nested():
            db.session.add(Reminder(question_id=question.id, threshold=threshold,
                                    due_at=question.due_at, sent_at=utcnow()))
    except IntegrityError:
        return False
    people = [question.assignee] if question.assignee else routing.routed_to(question.topics)
    for person in people:
        tell(person, f"qa.{threshold}", f"{MESSAGES[threshold]}: {short(question.title)}",
             question)
    return True


@transactional
def run() -> str:
    """Send due reminders and flag FAQ entries to review; return a one-line summary."""
    now = utcnow()
    sent = {"near": 0, "overdue": 0}
    already = {
        (qid, threshold, due)
        for qid, threshold, due in db.session.execute(
            select(Reminder.question_id, Reminder.threshold, Reminder.due_at)
            .join(Question, Question.id == Reminder.question_id)
            .where(Question.state.in_(WAITING))
        )
    }
    questions = db.session.scalars(
        select(Question)
        .where(Question.state.in_(WAITING), Question.due_at.is_not(None))
        .order_by(Question.due_at, Question.id)
    ).all()
    for question in questions:
        threshold = deadlines.timing(question, now).status
        if threshold not in MESSAGES or (question.id, threshold, question.due_at) in already:
            continue
        if _remind(question, threshold):
            sent[threshold] += 1
    flagged = faq.flag_successors()
    return (f"hỏi đáp: {sent['near']} nhắc sắp đến hạn, {sent['overdue']} nhắc quá hạn, "
            f"{flagged} mục hỏi đáp thường gặp cần rà soát")
