"""Draw the items of a new attempt and fix the order of their options, from a stored seed."""

from __future__ import annotations

import secrets
from random import Random
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ..errors import QuizError
from ..models import Bank, BankItem, Quiz
from ..questions import Item, drawn_types, question_type
from ..quizzes.service import topic_key


def _candidates(bank: Bank, types: tuple[str, ...]) -> list[BankItem]:
    return list(
        db.session.scalars(
            select(BankItem)
            .where(
                BankItem.bank_id == bank.id,
                BankItem.archived.is_(False),
                BankItem.type.in_(types),
            )
            .order_by(BankItem.id)
        )
    )


def draw(quiz: Quiz, rng: Random) -> list[BankItem]:
    """Pick each draw's items at random (never the same item twice), shuffled if asked."""
    slugs = {d["bank"] for d in quiz.draws}
    banks = {
        bank.slug: bank
        for bank in db.session.scalars(
            select(Bank).where(Bank.slug.in_(slugs), Bank.archived.is_(False))
        )
    }
    chosen: list[BankItem] = []
    taken: set[int] = set()
    pools: dict[str, list[BankItem]] = {}
    for spec in quiz.draws:
        bank = banks.get(spec["bank"])
        if bank is None:
            raise QuizError(
                f"Bài kiểm tra chưa sẵn sàng: không còn ngân hàng câu hỏi {spec['bank']}. "
                "Hãy báo cho giảng viên."
            )
        if bank.slug not in pools:
            pools[bank.slug] = _candidates(bank, drawn_types(quiz.essays))
        pool = pools[bank.slug]
        topic = topic_key(spec.get("topic") or "")
        candidates = [
            row
            for row in pool
            if row.id not in taken and (not topic or topic_key(row.topic) == topic)
        ]
        count = int(spec["count"])
        if len(candidates) < count:
            raise QuizError(
                f"Bài kiểm tra chưa sẵn sàng: ngân hàng {bank.slug} chỉ còn {len(candidates)} "
                f"câu phù hợp, cần {count}. Hãy báo cho giảng viên."
            )
        picked = rng.sample(candidates, count)
        taken.update(row.id for row in picked)
        chosen.extend(picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _ids(count: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        token = "o" + secrets.token_hex(4)
        if token not in ids:
            ids.append(token)
    return ids


def layout_for(item: Item, rng: Random, shuffle: bool) -> dict[str, Any]:
    """Opaque ids for what the page offers, in display order, mapped to option or pair keys."""
    return question_type(item.type).layout(item, rng, shuffle, _ids)
