"""Draw the items of a new attempt and fix the order of their options, from a stored seed."""

from __future__ import annotations

import secrets
from random import Random
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .errors import QuizError
from .items import ChoiceItem, Item, Matching, TrueFalse
from .models import Bank, BankItem, Quiz, drawn_types
from .quiz_service import topic_key


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
    if isinstance(item, ChoiceItem):
        keys = list(item.option_keys())
        if shuffle:
            rng.shuffle(keys)
        return {"options": [[oid, key] for oid, key in zip(_ids(len(keys)), keys, strict=True)]}
    if isinstance(item, TrueFalse):
        return {"options": [["true", 1], ["false", 0]]}
    if isinstance(item, Matching):
        lefts = item.left_keys()
        if shuffle:
            rng.shuffle(lefts)
        # Equal right sides are offered once; the grader compares their texts.
        rights: dict[str, int] = {}
        for key in item.right_keys():
            rights.setdefault(item.pairs[key].right, key)
        right_keys = list(rights.values())
        # Always shuffled: in authored order the answer would be the row itself.
        rng.shuffle(right_keys)
        return {
            "lefts": [[lid, key] for lid, key in zip(_ids(len(lefts)), lefts, strict=True)],
            "rights": [
                [rid, key] for rid, key in zip(_ids(len(right_keys)), right_keys, strict=True)
            ],
        }
    return {}
