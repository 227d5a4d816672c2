"""Item analysis of a quiz: facility, discrimination and the choices made, as SQL aggregates.

Graded attempts (submitted or closed at the deadline) are ranked by their score; the upper and
lower groups are the best and the worst 27 % of them (at least one attempt each, ties broken by
the attempt's id). For each item and version:

- facility: mean fraction of the item's points earned (1 = everyone right);
- discrimination: facility in the upper group minus facility in the lower group, among the
  attempts of each group that drew the item (None when either group has none);
- option distribution: how many attempts chose each option (single, multiple, true/false),
  and the most frequent typed answers (short answer, numerical).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ...extensions import db
from ..models import CLOSED_STATUSES, Attempt, AttemptChoice, AttemptItem, Quiz
from ..questions import question_type

UPPER_LOWER_SHARE = 0.27
TOP_ANSWERS = 5
_FULL = 1 - 1e-9


@dataclass
class OptionStat:
    """How often one option was chosen."""

    html: str
    count: int
    share: float
    correct: bool


@dataclass
class ItemStat:
    """The figures of one item (one version of a bank item)."""

    bank_item_id: int | None
    version: int
    key: str
    type: str
    stem_html: str
    responses: int
    facility: float
    discrimination: float | None
    full_marks: int
    options: list[OptionStat] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        """Warnings for the trainer, in Vietnamese."""
        out = []
        if self.responses and self.full_marks == 0:
            out.append("Không ai trả lời đúng hoàn toàn")
        if self.discrimination is not None and self.discrimination < 0:
            out.append("Độ phân biệt âm: nhóm điểm thấp làm tốt hơn nhóm điểm cao")
        return out


@dataclass
class QuizAnalysis:
    """Item analysis of one quiz."""

    attempts: int
    group_size: int
    mean_percent: float | None
    pass_rate: float | None
    items: list[ItemStat]


def group_size(attempts: int) -> int:
    """Attempts in each of the upper and lower groups (0 when there are fewer than two)."""
    if attempts < 2:
        return 0
    return min(max(1, round(UPPER_LOWER_SHARE * attempts)), attempts // 2)


def _graded(quiz: Quiz):
    return (
        Attempt.quiz_id == quiz.id,
        Attempt.status.in_(CLOSED_STATUSES),
        Attempt.max_score > 0,
        Attempt.score.is_not(None),
    )


def analyse(quiz: Quiz) -> QuizAnalysis:
    """Compute the item analysis of quiz from its graded attempts."""
    percent = Attempt.score * 100.0 / Attempt.max_score
    n, mean, passes = db.session.execute(
        select(
            func.count(),
            func.avg(percent),
            func.sum(case((Attempt.passed.is_(True), 1), else_=0)),
        ).where(*_graded(quiz))
    ).one()
    size = group_size(n)
    ranked = (
        select(
            Attempt.id.label("attempt_id"),
            func.row_number()
            .over(order_by=((Attempt.score / Attempt.max_score).desc(), Attempt.id))
            .label("score_rank"),
        )
        .where(*_graded(quiz))
        .subquery()
    )
    fraction = AttemptItem.points / AttemptItem.max_points
    upper = case((ranked.c.score_rank <= size, fraction), else_=None)
    lower = case((ranked.c.score_rank > n - size, fraction), else_=None)
    group = (AttemptItem.bank_item_id, AttemptItem.item_version)
    rows = db.session.execute(
        select(
            *group,
            func.min(AttemptItem.id),
            func.count(),
            func.avg(fraction),
            func.avg(upper),
            func.avg(lower),
            func.sum(case((fraction >= _FULL, 1), else_=0)),
        )
        .join(ranked, ranked.c.attempt_id == AttemptItem.attempt_id)
        .group_by(*group)
    ).all()
    samples = {
        row.id: row
        for row in db.session.scalars(
            select(AttemptItem).where(AttemptItem.id.in_([r[2] for r in rows]))
        )
    }
    choices = _choices(ranked)
    answers = _answers(ranked)
    items = []
    for bank_item_id, version, sample_id, count, facility, up, low, full in rows:
        sample = samples[sample_id]
        stat = ItemStat(
            bank_item_id=bank_item_id,
            version=version,
            key=sample.item.get("id", ""),
            type=sample.item["type"],
            stem_html=sample.rendered.get("stem", ""),
            responses=count,
            facility=float(facility or 0.0),
            discrimination=float(up) - float(low)
            if size and up is not None and low is not None
            else None,
            full_marks=int(full or 0),
            answers=answers.get((bank_item_id, version), []),
        )
        stat.options = _option_stats(sample, choices.get((bank_item_id, version), {}), count)
        items.append(stat)
    items.sort(key=lambda s: (s.facility, s.key))
    return QuizAnalysis(
        attempts=n,
        group_size=size,
        mean_percent=float(mean) if mean is not None else None,
        pass_rate=100.0 * passes / n if n else None,
        items=items,
    )


def _choices(ranked) -> dict[tuple, dict[int, int]]:
    rows = db.session.execute(
        select(
            AttemptItem.bank_item_id,
            AttemptItem.item_version,
            AttemptChoice.option_key,
            func.count(),
        )
        .join(AttemptItem, AttemptItem.id == AttemptChoice.attempt_item_id)
        .join(ranked, ranked.c.attempt_id == AttemptItem.attempt_id)
        .group_by(AttemptItem.bank_item_id, AttemptItem.item_version, AttemptChoice.option_key)
    )
    out: dict[tuple, dict[int, int]] = {}
    for bank_item_id, version, key, count in rows:
        out.setdefault((bank_item_id, version), {})[key] = count
    return out


def _answers(ranked) -> dict[tuple, list[tuple[str, int]]]:
    count = func.count()
    rows = db.session.execute(
        select(AttemptItem.bank_item_id, AttemptItem.item_version, AttemptItem.answer_text, count)
        .join(ranked, ranked.c.attempt_id == AttemptItem.attempt_id)
        .where(AttemptItem.answer_text.is_not(None))
        .group_by(AttemptItem.bank_item_id, AttemptItem.item_version, AttemptItem.answer_text)
        .order_by(count.desc(), AttemptItem.answer_text)
    )
    out: dict[tuple, list[tuple[str, int]]] = {}
    for bank_item_id, version, text, n in rows:
        found = out.setdefault((bank_item_id, version), [])
        if len(found) < TOP_ANSWERS:
            found.append((text, n))
    return out


def _option_stats(sample: AttemptItem, counts: dict[int, int], total: int) -> list[OptionStat]:
    rows = question_type(sample.item["type"]).option_rows(sample.item, sample.rendered)
    return [
        OptionStat(
            html=html,
            count=counts.get(key, 0),
            share=counts.get(key, 0) / total if total else 0.0,
            correct=correct,
        )
        for html, key, correct in rows
    ]
