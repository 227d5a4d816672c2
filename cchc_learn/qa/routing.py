"""Routing rules (topic → moderators): new questions arrive assigned and their moderators told."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from ..auth.models import User, UserRole
from ..database import transactional
from ..extensions import db
from .errors import QaError
from .models import Question, RoutingRule
from .settings import topics as known_topics
from .states import OPEN
from .workflow import moderator


@dataclass(frozen=True)
class Rule:
    """One routing rule as the rules page lists it."""

    topic: str
    moderator_id: int
    moderator_name: str
    username: str


def moderators() -> list[User]:
    """Every active moderator, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "moderator", User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )


def rules() -> list[Rule]:
    """Every rule, by topic then moderator."""
    rows = db.session.execute(
        select(RoutingRule.topic, User.id, User.full_name, User.username)
        .join(User, User.id == RoutingRule.moderator_id)
        .order_by(RoutingRule.topic, User.full_name)
    )
    return [Rule(topic, uid, name, username) for topic, uid, name, username in rows]


def routed_to(topics: list[str]) -> list[User]:
    """Active moderators whose rules name one of the topics."""
    if not topics:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(RoutingRule, RoutingRule.moderator_id == User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                RoutingRule.topic.in_(topics),
                UserRole.role == "moderator",
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def pick(candidates: list[User]) -> User | None:
    """The candidate with the fewest open questions assigned (the lowest id among equals)."""
    if not candidates:
        return None
    ids = [u.id for u in candidates]
    load = dict(
        db.session.execute(
            select(Question.assignee_id, func.count())
            .where(Question.assignee_id.in_(ids), Question.state.in_(OPEN))
            .group_by(Question.assignee_id)
        ).all()
    )
    return min(candidates, key=lambda u: (load.get(u.id, 0), u.id))


@transactional
def add_rule(actor_id: int, topic: str, moderator_id: int) -> None:
    """Route questions on topic to a moderator (nothing happens when the rule exists)."""
    moderator(actor_id)
    if topic not in known_topics():
        raise QaError(f"Chủ đề “{topic[:60]}” không có trong danh sách chủ đề hỏi đáp.")
    try:
        moderator(moderator_id)
    except QaError as exc:
        raise QaError("Người được chọn không phải người giải đáp đang hoạt động.") from exc
    if db.session.get(RoutingRule, (topic, moderator_id)) is None:
        db.session.add(RoutingRule(topic=topic, moderator_id=moderator_id))


@transactional
def remove_rule(actor_id: int, topic: str, moderator_id: int) -> None:
    """Stop routing questions on topic to a moderator."""
    moderator(actor_id)
    db.session.execute(
        delete(RoutingRule).where(
            RoutingRule.topic == topic, RoutingRule.moderator_id == moderator_id
        )
    )
