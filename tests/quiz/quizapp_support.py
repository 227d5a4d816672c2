"""A small bank and quiz, and helpers to take a quiz through the real pages."""

from __future__ import annotations

import re
import threading
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from helpers import post
from sqlalchemy import select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.banks import service as bank_service
from cchc_learn.quiz.formats import parse_markdown
from cchc_learn.quiz.models import Attempt, AttemptItem
from cchc_learn.quiz.quiz_loader import read_quiz
from cchc_learn.quiz.quizzes import service as quiz_service

BANK_MD = """---
bank: thu-nghiem
title: Ngân hàng thử nghiệm
topic: Chung
---
## Thủ đô của Việt Nam là thành phố nào?
{id=q-single}
- [ ] Huế
- [x] Hà Nội
  > Đúng vậy.
- [ ] Đà Nẵng
  > Không phải.
> Hà Nội là thủ đô.

## Những bộ chỉ số nào đo cải cách hành chính và sự hài lòng?
{id=q-multi topic="Chỉ số"}
- [x] PAR-INDEX
- [x] SIPAS
- [ ] GDP
> PAR-INDEX và SIPAS.

## Một cửa là cơ chế tiếp nhận hồ sơ tập trung.
{id=q-tf ref=lesson:mot-cua/gioi-thieu}
= Đúng

## Viết tắt của Chỉ số cải cách hành chính?
{id=q-short}
= PAR-INDEX
= PAR INDEX

## Phần II của bộ tiêu chí có bao nhiêu chỉ số thành phần?
{id=q-num topic="Chỉ số"}
= 58 ± 0

## Ghép chỉ số với nội dung
{id=q-match}
- PCI -> Năng lực cạnh tranh
- SIPAS -> Sự hài lòng
- PAPI -> Quản trị công
"""

KEYS = ("q-single", "q-multi", "q-tf", "q-short", "q-num", "q-match")
# A fully right answer per item key, in the graders' terms (option keys, texts, pair keys).
RIGHT = {
    "q-single": 1,
    "q-multi": [0, 1],
    "q-tf": True,
    "q-short": "par-index",
    "q-num": "58",
    "q-match": {0: 0, 1: 1, 2: 2},
}


def make_bank(app: Flask, text: str = BANK_MD, slug: str = "thu-nghiem") -> None:
    """Import a Markdown bank into a browser-managed bank and commit."""
    with app.app_context():
        declare_write()
        bank_service.import_bank(slug, parse_markdown(text, "bank.md"), "bank.md")
        db.session.commit()


def make_quiz(app: Flask, slug: str = "kiem-tra-thu", **settings: Any) -> None:
    """Create a browser-managed quiz drawing from the test bank and commit."""
    meta = {
        "title": "Bài kiểm tra thử",
        "draw": [{"bank": "thu-nghiem", "count": 6}],
        "time_limit": 10,
        "attempts": 2,
        "pass_mark": 50,
        "review": "immediately",
        "shuffle_questions": True,
        "shuffle_options": True,
    }
    meta.update(settings)
    meta = {k: v for k, v in meta.items() if v is not None}
    with app.app_context():
        declare_write()
        spec, found = read_quiz(
            meta, slug, "Giới thiệu **bài thử**.", path="", line_of=lambda _k: 1
        )
        assert found == [], found
        quiz_service.save_quiz(None, spec)
        db.session.commit()


def start(client: FlaskClient, app: Flask, slug: str = "kiem-tra-thu") -> int:
    """Start (or resume) an attempt through the page; return its id."""
    response = post(client, app, f"/quizzes/{slug}/start")
    assert response.status_code == 302, response.status_code
    found = re.fullmatch(r"/quizzes/attempts/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found[1])


def rows(app: Flask, attempt_id: int) -> list[dict]:
    """The attempt's items as plain dicts (position, key, type, layout, response, points)."""
    with app.app_context():
        items = db.session.scalars(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
        return [
            {
                "position": r.position,
                "key": r.item["id"],
                "type": r.item["type"],
                "layout": r.layout,
                "response": r.response,
                "points": r.points,
            }
            for r in items
        ]


def attempt_row(app: Flask, attempt_id: int) -> Attempt:
    """The attempt, detached."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.expunge(attempt)
        return attempt


def _opaque(layout: dict, part: str, key: int) -> str:
    return next(oid for oid, k in layout[part] if k == key)


def answer_form(items: list[dict], answers: dict[str, Any] | None = None) -> dict:
    """Form fields answering each item (right by default; `answers` overrides by item key)."""
    wanted = dict(RIGHT, **(answers or {}))
    form: dict[str, Any] = {}
    for row in items:
        name, value, layout = f"q{row['position']}", wanted.get(row["key"]), row["layout"]
        if value is None:
            continue
        if row["type"] == "single":
            form[name] = _opaque(layout, "options", value)
        elif row["type"] == "multiple":
            form[name] = [_opaque(layout, "options", k) for k in value]
        elif row["type"] == "true_false":
            form[name] = "true" if value else "false"
        elif row["type"] == "matching":
            for left, right in value.items():
                form[f"{name}-{_opaque(layout, 'lefts', left)}"] = _opaque(layout, "rights", right)
        else:
            form[name] = value
    return form


def local(text: str) -> datetime:
    """A Vietnam wall-clock time as an aware datetime (for opens/closes)."""
    from cchc_learn.clock import LOCAL_TZ

    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (to prove a request wrote nothing)."""
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [
                tuple(row) for row in db.session.execute(select(table).order_by(*order))
            ]
        db.session.rollback()
        return out


def race(calls) -> list:
    """Run the calls at the same moment, each in its own thread; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
