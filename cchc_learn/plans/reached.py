"""When each official first reached a plan's materials: kept, so a report joins one row each.

The definitions are `counting`'s. Accessed as of a date: every required lesson and document
opened from the plan's first day to the end of that date. For one official that holds from
the moment the last of them was first opened on or after the first day
(`events.reached_since`) — `PlanProgress.accessed_at` — so a report as of any date counts the
official when that moment lies before the date's end. `lessons_at` is the same for
completing the required lessons. Quiz passes and classes are not kept: they are few, and the
report counts them as they are.

Nothing that writes events has to know about this table:

- a plan's rows are for the requirements digested in `PlanProgressRule.rule_key` (the
  numbered materials and the first day). When they resolve differently — a lesson published
  in a required module, a document replaced, a new first day — the plan's next report builds
  all its rows again;
- a trigger on access_event (migration 0018) adds the event's official to `ProgressStale`;
  the next report recomputes those officials' rows for every plan kept, and takes them away.

A report therefore makes at most one short write (SQLite: under the write lock), and none
when nothing changed since the last one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Select, delete, func, literal, null, select, text, union_all

from ..coltypes import UTCDateTime
from ..database import in_unit_of_work, short_write
from ..extensions import db
from ..numbers import vi_count
from ..tracking import events
from .counting import Rule, day_start
from .models import Plan, PlanProgress, PlanProgressRule, ProgressStale
from .service import requirements

KEY_VERSION = "1"
"""Part of every rule key: changing how progress is computed rebuilds every plan's rows."""

CHUNK = 2_000
"""Stale officials recomputed per statement."""

REBUILD_OVER = 20_000
"""More stale officials than this: the plans are rebuilt whole, which costs less."""


def rule_key(rule: Rule, start: datetime) -> str:
    """A digest of what a plan's progress depends on: its numbered materials and first day."""
    parts = [KEY_VERSION, start.isoformat(), str(rule.access_count), str(rule.lesson_count)]
    for materials in (rule.access, rule.lessons):
        parts.append(",".join(f"{ref.type}:{ref.id}={number}" for ref, number in
                              sorted(materials.items(), key=lambda kv: (kv[0].type, kv[0].id))))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def rows_query(plan_id: int, rule: Rule, start: datetime, user_ids=None) -> Select | None:
    """(plan_id, user_id, accessed_at, lessons_at) of the officials who reached either."""
    none = null().cast(UTCDateTime)
    parts = []
    if rule.access_count and rule.access:
        a = events.reached_since(rule.access, events.ACCESS_ACTIONS, start, user_ids).subquery()
        parts.append(select(a.c.user_id, a.c.since.label("accessed_at"),
                            none.label("lessons_at")).where(a.c.reached >= rule.access_count))
    if rule.lesson_count and rule.lessons:
        done = events.reached_since(rule.lessons, (events.COMPLETE,), start, user_ids).subquery()
        parts.append(select(done.c.user_id, none.label("accessed_at"),
                            done.c.since.label("lessons_at"))
                     .where(done.c.reached >= rule.lesson_count))  # fmt: skip
    if not parts:
        return None  # nothing can be reached: no row, nobody counted
    both = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("reached")
    return select(
        literal(plan_id).label("plan_id"),
        both.c.user_id,
        func.max(both.c.accessed_at).label("accessed_at"),
        func.max(both.c.lessons_at).label("lessons_at"),
    ).group_by(both.c.user_id)


def refresh(plan: Plan, rule: Rule) -> None:
    """Bring the plan's kept progress up to date before a report reads it."""
    start = day_start(plan.starts)
    key = rule_key(rule, start)
    kept = db.session.scalar(
        select(PlanProgressRule.rule_key).where(PlanProgressRule.plan_id == plan.id)
    )
    stale = db.session.scalar(select(ProgressStale.user_id).limit(1))
    if kept == key and stale is None:
        return
    if in_unit_of_work():
        _refresh(plan.id, rule, start, key)  # committed with the service that asked
    else:
        with short_write():  # a report only reads: this part writes in a short transaction
            _refresh(plan.id, rule, start, key)


def refresh_all() -> str:
    """Refresh every plan's kept progress: the periodic job, so that reports seldom wait."""
    stale = db.session.scalar(select(func.count()).select_from(ProgressStale)) or 0
    plans = db.session.scalars(select(Plan).order_by(Plan.id)).all()
    for plan in plans:
        refresh(plan, Rule.of(requirements(plan)))
    return f"{vi_count(len(plans))} kế hoạch, {vi_count(stale)} cán bộ có hoạt động mới"


def _refresh(plan_id: int, rule: Rule, start: datetime, key: str) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        # One refresher at a time; each statement after the lock sees what committed before.
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('progress', 0))"))
    ids = list(db.session.scalars(delete(ProgressStale).returning(ProgressStale.user_id)))
    for kept in db.session.scalars(select(PlanProgressRule)).all():
        if kept.plan_id == plan_id:
            their_rule, their_start, their_key = rule, start, key
        elif not ids:
            continue  # nothing to recompute; another plan's own report checks its requirements
        else:
            plan = db.session.get(Plan, kept.plan_id)
            their_rule = Rule.of(requirements(plan))
            their_start = day_start(plan.starts)
            their_key = rule_key(their_rule, their_start)
        if kept.rule_key != their_key or len(ids) > REBUILD_OVER:
            _forget(kept.plan_id)
        elif ids:
            for i in range(0, len(ids), CHUNK):
                _recompute(kept.plan_id, their_rule, their_start, ids[i:i + CHUNK])
    if db.session.get(PlanProgressRule, plan_id) is None:
        _build(plan_id, rule, start, key)
    db.session.flush()


def _recompute(plan_id: int, rule: Rule, start: datetime, ids: list[int]) -> None:
    db.session.execute(
        delete(PlanProgress).where(PlanProgress.plan_id == plan_id, PlanProgress.user_id.in_(ids))
    )
    rows = rows_query(plan_id, rule, start, ids)
    if rows is not None:
        db.session.execute(_insert(rows))


def _forget(plan_id: int) -> None:
    db.session.execute(delete(PlanProgress).where(PlanProgress.plan_id == plan_id))
    db.session.execute(delete(PlanProgressRule).where(PlanProgressRule.plan_id == plan_id))


def _build(plan_id: int, rule: Rule, start: datetime, key: str) -> None:
    _forget(plan_id)
    rows = rows_query(plan_id, rule, start)
    if rows is not None:
        db.session.execute(_insert(rows))
    db.session.add(PlanProgressRule(plan_id=plan_id, rule_key=key))


def _insert(rows: Select):
    columns = ["plan_id", "user_id", "accessed_at", "lessons_at"]
    return PlanProgress.__table__.insert().from_select(columns, rows)

