"""The FAQ: answered questions promoted with a "valid as of" date and the documents they cite.

When a cited document gets a successor in the knowledge base (a live document with the number
the cited one is `replaced_by`), the `qa` tick job flags the entry for review; it is listed on
the moderators' queue until one of them confirms the review, which records the successors
seen so the same successor does not flag it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..clock import local_today, utcnow
from ..database import transactional
from ..extensions import db
from ..kb.citations import cited_keys
from ..kb.models import Document
from ..textnorm import number_key
from .errors import QaError
from .models import Faq, FaqDocument, Question, QuestionTopic
from .states import ANSWERED
from .workflow import keep, lock, moderator, move

MAX_DOCUMENTS = 20


@dataclass(frozen=True)
class Cited:
    """A document an FAQ entry rests on: its number, and its page when it exists."""

    number: str
    key: str
    slug: str | None


def split_numbers(text: str) -> list[str]:
    """Document numbers typed one per line or separated by commas or semicolons."""
    parts = (text or "").replace(";", ",").replace("\n", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def suggested_numbers(question: Question) -> list[str]:
    """The document numbers the question's answers cite, as written in their links."""
    found: dict[str, str] = {}
    for post in question.answers:
        for key in sorted(cited_keys(post.body_md)):
            found.setdefault(key, key)
    if not found:
        return []
    numbers = dict(
        db.session.execute(
            select(Document.number_key, Document.number).where(
                Document.number_key.in_(list(found)), Document.archived.is_(False)
            )
        ).all()
    )
    return [numbers.get(key, key) for key in found]


def _resolve(numbers: list[str]) -> list[tuple[str, str, str | None]]:
    """(number as stored, key, current replaced_by_key) of live documents; QaError otherwise."""
    if len(numbers) > MAX_DOCUMENTS:
        raise QaError(f"Văn bản trích dẫn: tối đa {MAX_DOCUMENTS} văn bản.")
    out = []
    for typed in numbers:
        key = number_key(typed)[:80]
        row = db.session.execute(
            select(Document.number, Document.replaced_by_key)
            .where(Document.number_key == key, Document.archived.is_(False))
            .order_by(Document.id)
            .limit(1)
        ).first()
        if row is None:
            raise QaError(
                f"Văn bản trích dẫn: không tìm thấy văn bản số “{typed[:80]}” trong cơ sở dữ "
                "liệu văn bản."
            )
        out.append((row.number, key, row.replaced_by_key))
    return out


def _set_documents(faq: Faq, resolved: list[tuple[str, str, str | None]]) -> None:
    faq.documents = [
        FaqDocument(number=number, number_key=key, successor_seen=successor)
        for number, key, successor in {key: (n, key, s) for n, key, s in resolved}.values()
    ]


@transactional
def promote_to_faq(
    question_id: int, moderator_id: int, valid_as_of: date | None, documents: list[str]
) -> Faq:
    """Put an answered question in the FAQ (a private one then shows without its asker)."""
    user = moderator(moderator_id)
    resolved = _resolve(documents)
    valid = valid_as_of or local_today()
    question = lock(question_id)
    if question.faq is not None:
        raise QaError("Câu hỏi này đã có trong mục Hỏi đáp thường gặp.")
    if not question.answers:
        raise QaError("Chỉ đưa vào mục Hỏi đáp thường gặp câu hỏi đã có câu trả lời.")
    move(question, "promote", user, detail={"valid_as_of": valid.isoformat(),
                                            "documents": [n for n, _, _ in resolved]})
    faq = Faq(question=question, valid_as_of=valid, promoted_by_id=user.id, promoted_at=utcnow())
    _set_documents(faq, resolved)
    db.session.add(faq)
    return faq


@transactional
def review_faq(
    question_id: int, moderator_id: int, valid_as_of: date | None, documents: list[str]
) -> Faq:
    """Confirm an FAQ entry after review: new date and documents; the flag is cleared."""
    user = moderator(moderator_id)
    resolved = _resolve(documents)
    question = lock(question_id)
    faq = question.faq
    if faq is None:
        raise QaError("Câu hỏi này không có trong mục Hỏi đáp thường gặp.")
    move(question, "review_faq", user, reason=faq.review_reason,
         detail={"valid_as_of": (valid_as_of or faq.valid_as_of).isoformat(),
                 "documents": [n for n, _, _ in resolved]})
    faq.valid_as_of = valid_as_of or faq.valid_as_of
    _set_documents(faq, resolved)
    faq.review_needed_at, faq.review_reason = None, None
    return faq


@transactional
def remove_from_faq(question_id: int, moderator_id: int) -> Question:
    """Take a question out of the FAQ (it keeps its answers and its own visibility)."""
    user = moderator(moderator_id)
    question = lock(question_id)
    if question.faq is None:
        raise QaError("Câu hỏi này không có trong mục Hỏi đáp thường gặp.")
    move(question, "unpromote", user)
    question.faq = None
    return question


def flag_successors() -> int:
    """Flag FAQ entries citing a document that now has a live successor; return how many.

    Runs inside the caller's transaction (the tick job's).
    """
    successor = aliased(Document)
    rows = db.session.execute(
        select(FaqDocument.question_id, Document.number, successor.number,
               Document.replaced_by_key)
        .join(Document, and_(Document.number_key == FaqDocument.number_key,
                             Document.archived.is_(False)))
        .join(successor, and_(successor.number_key == Document.replaced_by_key,
                              successor.archived.is_(False)))
        .join(Faq, Faq.question_id == FaqDocument.question_id)
        .where(Faq.review_needed_at.is_(None),
               or_(FaqDocument.successor_seen.is_(None),
                   FaqDocument.successor_seen != Document.replaced_by_key))
        .order_by(FaqDocument.question_id)
    ).all()
    reasons: dict[int, list[str]] = {}
    for question_id, old, new, _key in rows:
        reasons.setdefault(question_id, []).append(f"văn bản {old} đã có văn bản thay thế {new}")
    now = utcnow()
    for question_id, found in reasons.items():
        question = lock(question_id)
        faq = question.faq
        if faq is None or faq.review_needed_at is not None:
            continue
        faq.review_needed_at = now
        faq.review_reason = "Cần rà soát: " + "; ".join(dict.fromkeys(found)) + "."
        keep(question, "faq_flagged", None, before=question.state, after=None,
             reason=faq.review_reason)
    return len(reasons)


@dataclass(frozen=True)
class Entry:
    """An FAQ entry as the FAQ page lists it."""

    question: Question
    faq: Faq
    cited: list[Cited]


def entries(*, topic: str | None = None, page: int = 1, per_page: int = 30) -> tuple[
        list[Entry], int]:
    """FAQ entries every signed-in account may read, newest first, and their total."""
    query = (
        select(Question)
        .join(Faq, Faq.question_id == Question.id)
        .where(Question.state.in_(ANSWERED))
        .options(selectinload(Question.faq))
    )
    if topic:
        query = query.where(Question.id.in_(
            select(QuestionTopic.question_id).where(QuestionTopic.topic == topic)))
    found = db.paginate(query.order_by(Faq.promoted_at.desc(), Question.id.desc()),
                        page=max(page, 1), per_page=per_page, error_out=False)
    questions = list(found.items)
    slugs = _slugs([d.number_key for q in questions for d in q.faq.documents])
    out = [
        Entry(q, q.faq, [Cited(d.number, d.number_key, slugs.get(d.number_key))
                         for d in q.faq.documents])
        for q in questions
    ]
    return out, found.total or 0


def cited(faq: Faq) -> list[Cited]:
    """The documents one entry cites, with their pages."""
    slugs = _slugs([d.number_key for d in faq.documents])
    return [Cited(d.number, d.number_key, slugs.get(d.number_key)) for d in faq.documents]


def _slugs(keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    return dict(
        db.session.execute(
            select(Document.number_key, Document.slug).where(
                Document.number_key.in_(sorted(set(keys))), Document.archived.is_(False)
            )
        ).all()
    )


def needing_review() -> list[Question]:
    """FAQ entries flagged for review, oldest flag first."""
    return list(
        db.session.scalars(
            select(Question)
            .join(Faq, Faq.question_id == Question.id)
            .where(Faq.review_needed_at.is_not(None))
            .options(selectinload(Question.faq))
            .order_by(Faq.review_needed_at, Question.id)
        )
    )
