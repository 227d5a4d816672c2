"""The attempts at one quiz as trainers see them: who, which unit, when, score and state.

An official's unit is the one they belong to today; filtering by a unit includes every unit
below it in today's tree. "Awaiting grading" is a closed attempt with an essay nobody graded yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, exists, func, or_, select

from ...auth.models import User
from ...clock import local_today
from ...extensions import db
from ...org import service as org_service
from ...org.models import Membership, Unit
from ..models import CLOSED_STATUSES, EXPIRED, OPEN, Attempt, AttemptItem, Quiz

PER_PAGE = 50
STATES = {
    "open": "Đang làm",
    "submitted": "Đã nộp",
    "pending": "Chờ chấm tự luận",
}


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to: a unit (with the units below it) and a state."""

    unit: Unit | None = None
    state: str | None = None

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links to other pages and the exports)."""
        out = {}
        if self.unit is not None:
            out["unit"] = self.unit.code
        if self.state:
            out["state"] = self.state
        return out


@dataclass(frozen=True)
class AttemptRow:
    """One attempt as the list and the exports show it."""

    attempt: Attempt
    user: User
    unit_name: str | None
    pending_essays: int

    @property
    def state(self) -> str:
        """open, pending or submitted (expired attempts count as submitted)."""
        if self.attempt.status == OPEN:
            return "open"
        return "pending" if self.pending_essays else "submitted"

    @property
    def state_label(self) -> str:
        """The state in Vietnamese, saying when the deadline closed the attempt."""
        if self.state == "submitted" and self.attempt.status == EXPIRED:
            return "Hết giờ (tự nộp)"
        return STATES[self.state]

    @property
    def passed_label(self) -> str:
        """Đạt, Chưa đạt, or empty while the attempt is open or awaits grading."""
        if self.state != "submitted" or self.attempt.passed is None:
            return ""
        return "Đạt" if self.attempt.passed else "Chưa đạt"


def read_filters(unit_code: str | None, state: str | None) -> Filters:
    """Filters from query-string values; an unknown unit or state filters nothing."""
    unit = org_service.get_by_code(unit_code[:32]) if unit_code else None
    return Filters(unit=unit, state=state if state in STATES else None)


def unit_options() -> list[tuple[str, str]]:
    """Today's units as (code, indented name) for the filter's select box."""
    return [
        (node.unit.code, "\u2014 " * node.depth + node.unit.name)
        for node in org_service.flatten(org_service.tree())
    ]


def _subtree_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it in today's tree."""
    found = [n for n in org_service.flatten(org_service.tree()) if n.unit.id == unit.id]
    if not found:
        return [unit.id]  # not in today's tree (closed): itself only
    stack, ids = [found[0]], []
    while stack:
        node = stack.pop()
        ids.append(node.unit.id)
        stack.extend(node.children)
    return ids


def _in_force(day: date):
    return and_(
        Membership.valid_from <= day,
        or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
    )


def _pending():
    return exists().where(
        AttemptItem.attempt_id == Attempt.id,
        AttemptItem.manual.is_(True),
        AttemptItem.points.is_(None),
    )


def _filtered(query: Select, quiz: Quiz, filters: Filters) -> Select:
    query = query.where(Attempt.quiz_id == quiz.id)
    if filters.unit is not None:
        members = select(Membership.user_id).where(
            Membership.unit_id.in_(_subtree_ids(filters.unit)), _in_force(local_today())
        )
        query = query.where(Attempt.user_id.in_(members))
    if filters.state == "open":
        query = query.where(Attempt.status == OPEN)
    elif filters.state == "submitted":
        query = query.where(Attempt.status.in_(CLOSED_STATUSES), ~_pending())
    elif filters.state == "pending":
        query = query.where(Attempt.status.in_(CLOSED_STATUSES), _pending())
    return query.order_by(Attempt.started_at.desc(), Attempt.id.desc())


def _detailed() -> Select:
    """Attempts with their official, today's unit name and how many essays wait."""
    waiting = (
        select(func.count())
        .where(
            AttemptItem.attempt_id == Attempt.id,
            AttemptItem.manual.is_(True),
            AttemptItem.points.is_(None),
        )
        .correlate(Attempt)
        .scalar_subquery()
    )
    return (
        select(Attempt, User, Unit.name, waiting)
        .join(User, User.id == Attempt.user_id)
        .outerjoin(
            Membership,
            and_(Membership.user_id == Attempt.user_id, _in_force(local_today())),
        )
        .outerjoin(Unit, Unit.id == Membership.unit_id)
    )


def _rows(query: Select) -> list[AttemptRow]:
    return [
        AttemptRow(attempt, user, unit_name, int(waiting or 0))
        for attempt, user, unit_name, waiting in db.session.execute(query)
    ]


def list_page(quiz: Quiz, filters: Filters, page: int, per_page: int = PER_PAGE) -> Pagination:
    """One page of the quiz's attempts, newest first; `.items` are AttemptRows."""
    pagination = db.paginate(
        _filtered(select(Attempt), quiz, filters),
        page=page,
        per_page=per_page,
        error_out=False,
        count=True,
    )
    ids = [attempt.id for attempt in pagination.items]
    by_id = {row.attempt.id: row for row in _rows(_detailed().where(Attempt.id.in_(ids)))}
    pagination.items = [by_id[i] for i in ids]
    return pagination


def export_rows(quiz: Quiz, filters: Filters) -> list[AttemptRow]:
    """Every attempt the filters let through, in the list's order."""
    return _rows(_filtered(_detailed(), quiz, filters))
