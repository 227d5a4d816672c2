"""Create, edit and move units; place officials in units over time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from ..audit.service import record
from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from .models import LEVELS, Membership, Unit, UnitLink

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


class OrgError(ValueError):
    """A unit or membership change that cannot be made; the message is for users."""


@dataclass
class TreeNode:
    """A unit with its children, for display."""

    unit: Unit
    children: list[TreeNode] = field(default_factory=list)
    depth: int = 0


def validate_code(code: str) -> str:
    """Return the normalised unit code or raise OrgError."""
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise OrgError(
            "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới "
            "(tối đa 32 ký tự)."
        )
    return code


def get_by_code(code: str) -> Unit | None:
    """Find a unit by its code (case-insensitive)."""
    return db.session.scalar(select(Unit).where(db.func.lower(Unit.code) == code.lower()))


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise OrgError(f"Cấp đơn vị không hợp lệ: {level!r}.")


def _ancestors(unit: Unit | None) -> list[Unit]:
    seen: list[Unit] = []
    while unit is not None and unit not in seen:
        seen.append(unit)
        unit = unit.parent
    return seen


def create_unit(
    code: str,
    name: str,
    level: str,
    parent: Unit | None = None,
    *,
    valid_from: date | None = None,
    actor: User | None = None,
) -> Unit:
    """Add a unit under parent (None for a root)."""
    code = validate_code(code)
    name = (name or "").strip()
    if not name:
        raise OrgError("Tên đơn vị không được để trống.")
    _check_level(level)
    if get_by_code(code) is not None:
        raise OrgError(f"Mã đơn vị {code} đã tồn tại.")
    start = valid_from or local_today()
    unit = Unit(code=code, name=name, level=level, parent=parent, valid_from=start)
    db.session.add(unit)
    db.session.flush()
    db.session.add(
        UnitLink(unit_id=unit.id, parent_id=parent.id if parent else None, valid_from=start)
    )
    record(
        actor,
        "unit.create",
        "unit",
        unit.id,
        f"Tạo đơn vị {code} – {name}",
        after={
            "code": code,
            "name": name,
            "level": level,
            "parent": parent.code if parent else None,
        },
    )
    return unit


def update_unit(unit: Unit, *, name: str, level: str, actor: User | None = None) -> Unit:
    """Rename a unit or change its level."""
    name = (name or "").strip()
    if not name:
        raise OrgError("Tên đơn vị không được để trống.")
    _check_level(level)
    before = {"name": unit.name, "level": unit.level}
    unit.name, unit.level = name, level
    after = {"name": name, "level": level}
    if before != after:
        record(
            actor,
            "unit.update",
            "unit",
            unit.id,
            f"Sửa đơn vị {unit.code}",
            before=before,
            after=after,
        )
    return unit


def move_unit(
    unit: Unit, new_parent: Unit | None, *, on: date | None = None, actor: User | None = None
) -> Unit:
    """Put unit under new_parent from a date on; the previous link is kept as history."""
    if new_parent is not None and unit in _ancestors(new_parent):
        raise OrgError("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
    day = on or local_today()
    parent_id = new_parent.id if new_parent else None
    # Every link still in force on or after day: a back-dated move must end them all, or
    # two parents would overlap and reports as of those dates would count the unit twice.
    later = db.session.scalars(
        select(UnitLink).where(
            UnitLink.unit_id == unit.id,
            or_(UnitLink.valid_to.is_(None), UnitLink.valid_to >= day),
        )
    ).all()
    if (unit.parent_id or None) == parent_id and all(k.parent_id == parent_id for k in later):
        return unit
    for link in later:
        if link.valid_from >= day:
            db.session.delete(link)
        else:
            link.valid_to = day - timedelta(days=1)
    db.session.add(UnitLink(unit_id=unit.id, parent_id=parent_id, valid_from=day))
    before = {"parent": unit.parent.code if unit.parent else None}
    unit.parent = new_parent
    record(
        actor,
        "unit.move",
        "unit",
        unit.id,
        f"Chuyển đơn vị {unit.code}",
        before=before,
        after={"parent": new_parent.code if new_parent else None, "from": day.isoformat()},
    )
    return unit


def tree(as_of: date | None = None) -> list[TreeNode]:
    """Return the unit tree as it stood on as_of (today by default), roots first, by code."""
    day = as_of or local_today()
    units = db.session.scalars(
        select(Unit)
        .where(Unit.valid_from <= day, or_(Unit.valid_to.is_(None), Unit.valid_to >= day))
        .order_by(Unit.code)
    ).all()
    # The parent on that day comes from the link history, not from the current parent.
    parents = dict(
        db.session.execute(
            select(UnitLink.unit_id, UnitLink.parent_id).where(
                UnitLink.valid_from <= day,
                or_(UnitLink.valid_to.is_(None), UnitLink.valid_to >= day),
            )
        ).all()
    )
    nodes = {u.id: TreeNode(u) for u in units}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent_id = parents.get(node.unit.id, node.unit.parent_id)
        parent = nodes.get(parent_id) if parent_id else None
        (parent.children if parent else roots).append(node)

    def fix_depth(items: list[TreeNode], depth: int) -> None:
        for item in items:
            item.depth = depth
            fix_depth(item.children, depth + 1)

    fix_depth(roots, 0)
    return roots


def member_counts(as_of: date | None = None) -> dict[int, int]:
    """How many officials belong to each unit on a day (today by default), by unit id."""
    day = as_of or local_today()
    rows = db.session.execute(
        select(Membership.unit_id, func.count(Membership.id))
        .where(
            Membership.valid_from <= day,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
        )
        .group_by(Membership.unit_id)
    ).all()
    return dict(rows)


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    """Depth-first list of a tree, for indented display and select boxes."""
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def current_membership(user: User, on: date | None = None) -> Membership | None:
    """The membership in force for user on a date (today by default)."""
    day = on or local_today()
    return db.session.scalar(
        select(Membership)
        .where(
            Membership.user_id == user.id,
            Membership.valid_from <= day,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
        )
        .order_by(Membership.valid_from.desc())
        .limit(1)
    )


def current_units(user_ids: list[int], on: date | None = None) -> dict[int, Unit]:
    """Map user ids to the unit each belongs to on a date, in one query."""
    if not user_ids:
        return {}
    day = on or local_today()
    rows = db.session.execute(
        select(Membership.user_id, Unit)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(
            Membership.user_id.in_(user_ids),
            and_(
                Membership.valid_from <= day,
                or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
            ),
        )
    ).all()
    return {user_id: unit for user_id, unit in rows}


def assign(
    user: User, unit: Unit | None, *, on: date | None = None, actor: User | None = None
) -> Membership | None:
    """Make user a member of unit from a date on (None leaves them without a unit)."""
    day = on or local_today()
    # Every membership still in force on or after day: a back-dated change ends them all, so
    # an official never belongs to two units on one day.
    later = db.session.scalars(
        select(Membership)
        .where(
            Membership.user_id == user.id,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
        )
        .order_by(Membership.valid_from)
    ).all()
    current = next((m for m in later if m.valid_from <= day), None)
    if (
        unit is not None
        and len(later) == 1
        and later[0].unit_id == unit.id
        and later[0].valid_to is None
        and later[0].valid_from <= day
    ):
        return later[0]
    for old in later:
        if old.valid_from >= day:
            db.session.delete(old)
        else:
            old.valid_to = day - timedelta(days=1)
    membership = None
    if unit is not None:
        membership = Membership(user=user, unit=unit, valid_from=day)
        db.session.add(membership)
    _record_move(user, current.unit if current else None, unit, day, actor)
    return membership


def _record_move(
    user: User, before: Unit | None, after: Unit | None, day: date, actor: User | None
) -> None:
    record(
        actor,
        "membership.change",
        "user",
        user.id,
        f"Đổi đơn vị của {user.username}",
        before={"unit": before.code if before else None},
        after={"unit": after.code if after else None, "from": day.isoformat()},
    )


def place_new_accounts(
    placements: list[tuple[User, Unit]], *, on: date | None = None, actor: User | None = None
) -> None:
    """Make accounts created in this transaction members of their units (what :func:`assign`
    does for an account that has no membership yet, without looking for one)."""
    day = on or local_today()
    for user, unit in placements:
        db.session.add(Membership(user=user, unit=unit, valid_from=day))
        _record_move(user, None, unit, day, actor)
