"""How questions reach the search index: FAQ entries and answered public questions only.

A private, hidden or unanswered question is never indexed (its entry is removed when it stops
being searchable), so no search or suggestion can show it to someone who may not read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..markup import to_plain_text
from ..search.documents import PUBLIC, IndexDocument
from ..search.providers import Provider
from .models import Faq, Question
from .states import ANSWERED
from .visibility import searchable
from .workflow import question_url

FAQ_TYPE = "Hỏi đáp thường gặp"


def _as_index(question: Question) -> IndexDocument:
    answers = [to_plain_text(p.body_md) for p in question.answers]
    return IndexDocument(
        key=f"question:{question.id}", kind="question", id=question.id, title=question.title,
        summary=to_plain_text(question.body_md), body="\n\n".join(answers),
        type=FAQ_TYPE if question.faq is not None else "",
        year=question.asked_at.year, topics=tuple(question.topics),
        url=question_url(question.id), audience=(PUBLIC,), updated=question.updated_at,
    )


def load(ids: list[int]) -> dict[int, IndexDocument | None]:
    """Index documents for searchable questions; the others map to None (removed)."""
    questions = db.session.scalars(
        select(Question).where(Question.id.in_(ids))
        .options(selectinload(Question.posts), selectinload(Question.faq))
    ).all()
    found = {q.id: (_as_index(q) if searchable(q) else None) for q in questions}
    return {i: found.get(i) for i in ids}


def all_ids() -> Iterable[int]:
    """Every question that may be found."""
    in_faq = exists().where(Faq.question_id == Question.id)
    return db.session.scalars(
        select(Question.id).where(
            Question.state != "hidden",
            or_(in_faq, (Question.visibility == "public") & Question.state.in_(ANSWERED)),
        )
    ).all()


QUESTIONS = Provider(kind="question", load=load, all_ids=all_ids)
