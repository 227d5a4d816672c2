"""Quizzes in the database: look-ups, what banks can supply, and saving a checked definition."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from ...clock import utcnow
from ...content.problems import Problem
from ...database import transactional
from ...extensions import db
from ...markup import MarkupInputTooLarge, render
from ..banks.rendering import doc_resolver
from ..errors import QuizError
from ..models import CLOSED_STATUSES, OPEN, Attempt, Bank, BankItem, Quiz
from ..questions import drawn_types
from ..quiz_loader import DrawSpec, QuizSpec

Availability = dict[str, Counter]  # bank slug -> Counter of topic (casefolded) -> items


def topic_key(topic: str) -> str:
    """How topics compare when items are drawn: case and surrounding spaces do not count."""
    return topic.strip().casefold()


def get_quiz(slug: str, *, include_archived: bool = False) -> Quiz | None:
    """Find a quiz by slug."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug[:100]))
    if quiz is None or (quiz.archived and not include_archived):
        return None
    return quiz


def list_quizzes(*, include_archived: bool = False) -> list[Quiz]:
    """Quizzes in title order."""
    query = select(Quiz).order_by(Quiz.title, Quiz.id)
    if not include_archived:
        query = query.where(Quiz.archived.is_(False))
    return list(db.session.scalars(query))


@dataclass
class QuizRow:
    """A quiz in the trainers' list, with how many attempts are closed and how many open."""

    quiz: Quiz
    closed: int
    open: int


def trainer_list() -> list[QuizRow]:
    """Every quiz, withdrawn ones too, with its attempt counts (two aggregate queries)."""
    quizzes = list_quizzes(include_archived=True)
    counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count())
            .where(Attempt.status.in_(CLOSED_STATUSES))
            .group_by(Attempt.quiz_id)
        ).all()
    )
    open_counts = dict(
        db.session.execute(
            select(Attempt.quiz_id, func.count())
            .where(Attempt.status == OPEN)
            .group_by(Attempt.quiz_id)
        ).all()
    )
    return [QuizRow(q, counts.get(q.id, 0), open_counts.get(q.id, 0)) for q in quizzes]


def database_availability(
    *, only_browser_banks: bool = False, essays: bool = False
) -> Availability:
    """Live items a quiz can draw (auto-graded, and essays if asked) per bank and topic."""
    query = (
        select(Bank.slug, BankItem.topic)
        .join(BankItem, BankItem.bank_id == Bank.id)
        .where(
            Bank.archived.is_(False),
            BankItem.archived.is_(False),
            BankItem.type.in_(drawn_types(essays)),
        )
    )
    if only_browser_banks:
        query = query.where(Bank.source_path.is_(None))
    available: Availability = {}
    for slug, topic in db.session.execute(query):
        available.setdefault(slug, Counter())[topic_key(topic)] += 1
    return available


def draw_problems(
    draws: Iterable[DrawSpec], available: Availability, *, essays: bool = False, path: str = ""
) -> list[Problem]:
    """Draws naming a missing bank, or asking more items than a bank or topic holds."""
    kind = "câu rút được (kể cả tự luận)" if essays else "câu chấm tự động được"
    found: list[tuple[int, str]] = []
    asked_bank: Counter = Counter()
    asked_topic: Counter = Counter()
    lines: dict[str, int] = {}
    for draw in draws:
        counts = available.get(draw.bank)
        if counts is None:
            found.append((draw.line, f"không có ngân hàng câu hỏi '{draw.bank}'"))
            continue
        asked_bank[draw.bank] += draw.count
        lines.setdefault(draw.bank, draw.line)
        if draw.topic:
            asked_topic[(draw.bank, draw.topic)] += draw.count
            have = counts.get(topic_key(draw.topic), 0)
            if asked_topic[(draw.bank, draw.topic)] > have:
                found.append(
                    (
                        draw.line,
                        f"rút {asked_topic[(draw.bank, draw.topic)]} câu chủ đề "
                        f"'{draw.topic}' nhưng ngân hàng '{draw.bank}' chỉ có "
                        f"{have} câu chủ đề đó",
                    )
                )
    for bank, asked in asked_bank.items():
        have = sum(available[bank].values())
        if asked > have:
            found.append(
                (
                    lines[bank],
                    f"rút tổng cộng {asked} câu nhưng ngân hàng '{bank}' chỉ có {have} {kind}",
                )
            )
    return [Problem(path, line, message) for line, message in found]


def spec_hash(spec: QuizSpec, path: str | None) -> str:
    """A digest of everything a quiz definition says."""
    payload = dict(spec.as_json(), path=path)
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def apply_spec(quiz: Quiz, spec: QuizSpec, resolver: Callable[[str], str | None] | None) -> None:
    """Copy a checked definition onto a quiz, rendering its description."""
    try:
        quiz.description_html = render(spec.description, doc_link_resolver=resolver).html
    except MarkupInputTooLarge as exc:
        raise QuizError(str(exc)) from exc
    quiz.title, quiz.description_md, quiz.module_slug = spec.title, spec.description, spec.module
    quiz.draws = [draw.as_json() for draw in spec.draws]
    quiz.time_limit, quiz.attempts_allowed = spec.time_limit, spec.attempts
    quiz.pass_mark, quiz.review = spec.pass_mark, spec.review
    quiz.shuffle_questions, quiz.shuffle_options = spec.shuffle_questions, spec.shuffle_options
    quiz.essays = spec.essays
    quiz.opens_at, quiz.closes_at = spec.opens_at, spec.closes_at
    quiz.source_path = spec.path
    quiz.content_hash = spec_hash(spec, spec.path)
    quiz.archived = False
    quiz.updated_at = utcnow()


@transactional
def save_quiz(quiz: Quiz | None, spec: QuizSpec) -> Quiz:
    """Create or update a browser-managed quiz after checking its draws, as one unit of work."""
    if quiz is not None and quiz.from_file:
        raise QuizError(
            f"Bài kiểm tra này được quản lý bằng tệp content/{quiz.source_path}; hãy sửa tệp đó."
        )
    if quiz is None:
        other = get_quiz(spec.slug, include_archived=True)
        if other is not None:
            raise QuizError(f"Đã có bài kiểm tra mã {spec.slug}.")
    found = draw_problems(spec.draws, database_availability(essays=spec.essays), essays=spec.essays)
    if found:
        raise QuizError("Cách rút câu hỏi không hợp lệ.", [p.message for p in found])
    spec.path = None
    resolver = doc_resolver()
    if quiz is None:
        quiz = Quiz(slug=spec.slug, version=1)
        db.session.add(quiz)
    elif quiz.content_hash != spec_hash(spec, None):
        quiz.version += 1
    apply_spec(quiz, spec, resolver)
    db.session.flush()
    return quiz
