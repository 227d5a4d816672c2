"""Quickstart: a simulated study history for the demo officials, so reports show real shapes.

Labelled as simulated in the audit log (one entry, which also keeps it from running twice) and
in what quickstart prints. Views, completions and quiz passes spread over the past weeks of
the demo plan; some officials never sign in.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import select

from ..audit.models import AuditEntry
from ..audit.service import record
from ..auth.models import User
from ..clock import local_today, utcnow
from ..database import declare_write, transactional
from ..extensions import db
from ..lessons.models import LessonCompletion
from ..quiz.models import SUBMITTED, Attempt
from ..tracking import events
from .counting import day_start
from .service import Material, get_plan, requirements

DEMO_PLAN = "ke-hoach-cchc-2026"
SIMULATED = "demo.simulated_history"
OFFICIALS = [f"cb{i:03d}" for i in range(1, 41)]
WEEKS = 16


def simulate_history(echo=click.echo) -> None:
    """The quickstart step: add the simulated history once, when the demo plan is there."""
    declare_write()
    count = _simulate()
    if count:
        echo(f"Đã thêm lịch sử học tập MÔ PHỎNG cho {count} học viên mẫu (cb001–cb040).")


def _views(user: User, material: Material, at: datetime) -> None:
    if material.kind == events.LESSON:
        events.record(user.id, events.lesson_view(material.id, 1), at=at)
    else:
        events.record(user.id, events.document_view(material.id, 1), at=at)


@transactional
def _simulate(seed: int = 4599) -> int:
    if db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == SIMULATED)):
        return 0
    plan = get_plan(DEMO_PLAN)
    if plan is None:
        return 0
    users = list(db.session.scalars(select(User).where(User.username.in_(OFFICIALS))
                                    .order_by(User.username)))  # fmt: skip
    if not users:
        return 0
    reqs = requirements(plan)
    if not reqs.materials:
        return 0
    # Who does what comes from one generator, when from another: the counts as of the last day
    # do not depend on the day quickstart runs.
    rng, clock = random.Random(seed), random.Random(seed + 1)
    # Within the plan's period, whenever quickstart runs: the counts as of today (or as of the
    # plan's end) come out the same every time.
    last_day = min(local_today(), plan.ends)
    first_day = max(plan.starts, last_day - timedelta(weeks=WEEKS))
    span = max(1, (last_day - first_day).days - 1) * 86400
    start = day_start(first_day)
    now = min(utcnow(), day_start(last_day + timedelta(days=1)))

    latest = now - timedelta(minutes=5)

    def moment(after: datetime, within: timedelta | None = None) -> datetime:
        """A time after `after` (within a span when given), never later than latest."""
        if after >= latest:
            return latest
        room = (latest - after) if within is None else min(within, latest - after)
        return after + timedelta(seconds=clock.randrange(int(room.total_seconds()) + 1))

    touched = 0
    for user in users:
        luck = rng.random()
        if luck < 0.15:
            continue  # never signs in
        touched += 1
        signed = start + timedelta(seconds=clock.randrange(0, span))
        user.first_login_at = signed
        if luck < 0.35:
            opened = rng.sample(reqs.materials, k=max(1, len(reqs.materials) // 2))
        else:
            opened = list(reqs.materials)
        last = signed
        # Each official studies over a few weeks from the first sign-in: open a lesson, finish
        # it within days; the quiz comes after the last lesson.
        for material in opened:
            at = moment(signed, timedelta(weeks=3))
            _views(user, material, at)
            last = max(last, at)
            if luck >= 0.55 and material.kind == events.LESSON:
                done = moment(at, timedelta(days=3))
                db.session.add(
                    LessonCompletion(
                        user_id=user.id, lesson_id=material.id, lesson_version=1, completed_at=done
                    )
                )
                events.record(user.id, events.lesson_completion(material.id, 1), at=done)
                last = max(last, done)
        if luck >= 0.65 and reqs.quiz is not None:
            at = moment(last, timedelta(days=7))
            score = rng.choice([8.0, 9.0, 10.0])
            db.session.add(
                Attempt(
                    quiz_id=reqs.quiz.id, user_id=user.id, number=1,
                    quiz_version=reqs.quiz.version, seed=clock.randrange(1, 10**6),
                    status=SUBMITTED, started_at=at - timedelta(minutes=20), submitted_at=at,
                    score=score, max_score=10.0, pass_mark=reqs.quiz.pass_mark,
                    passed=100 * score / 10 >= reqs.quiz.pass_mark,
                )
            )  # fmt: skip
            last = max(last, at)
        user.last_login_at = last.astimezone(UTC)
    record(
        None,
        SIMULATED,
        "plan",
        plan.id,
        f"Dữ liệu MÔ PHỎNG: lịch sử học tập {WEEKS} tuần của {touched} học viên mẫu "
        "(xem trang, hoàn thành bài, làm bài kiểm tra) cho kế hoạch mẫu",
    )
    return touched
