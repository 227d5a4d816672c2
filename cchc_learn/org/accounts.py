"""Accounts in their units, and the unit tree: what the admin pages, the CLI, the demo and
tests call.

Each function is one unit of work (it commits, or rolls back and raises AuthError/OrgError
with a Vietnamese message). Creating an account in a unit exists here only; what concerns
the account alone (lock, reset, second factor) is in auth/admin.py.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..auth import service as auth_service
from ..auth.models import User
from ..database import transactional
from ..extensions import db
from . import service as org_service
from .models import Unit


def unit_for_code(code: str | None) -> Unit | None:
    """The unit with this code, None for no code; OrgError for a code that names none."""
    if not code:
        return None
    unit = org_service.get_by_code(code)
    if unit is None:
        raise org_service.OrgError(f"Không tìm thấy đơn vị có mã {code}.")
    return unit


@transactional
def create_account(
    username: str,
    full_name: str,
    *,
    unit_code: str | None = None,
    roles: set[str] | list[str] = ("official",),
    email: str | None = None,
    position: str | None = None,
    password: str | None = None,
    on: date | None = None,
    actor: User | None = None,
) -> tuple[User, str | None]:
    """Create an account, in a unit when a code is given; return it and its generated password."""
    unit = unit_for_code(unit_code)
    user, generated = auth_service.create_user(
        username,
        full_name,
        roles=roles,
        email=email,
        position=position,
        password=password,
        actor=actor,
    )
    if unit is not None:
        org_service.assign(user, unit, on=on, actor=actor)
    return user, generated


@transactional
def update_account(
    user: User,
    *,
    full_name: str,
    email: str | None,
    position: str | None,
    roles: set[str] | list[str],
    unit_code: str | None,
    actor: User | None = None,
) -> None:
    """Save an account's fields and move it to another unit when the code changed."""
    membership = org_service.current_membership(user)
    auth_service.update_user(
        user, full_name=full_name, email=email, position=position, roles=roles, actor=actor
    )
    unit = unit_for_code(unit_code)
    if (membership.unit_id if membership else None) != (unit.id if unit else None):
        org_service.assign(user, unit, actor=actor)


@transactional
def create_unit(
    code: str,
    name: str,
    level: str,
    *,
    parent_code: str | None = None,
    valid_from: date | None = None,
    actor: User | None = None,
) -> Unit:
    """Create a unit, under the unit with parent_code when one is given."""
    return org_service.create_unit(
        code, name, level, unit_for_code(parent_code), valid_from=valid_from, actor=actor
    )


@transactional
def update_unit(unit: Unit, *, name: str, level: str, actor: User | None = None) -> Unit:
    """Rename a unit or change its level."""
    return org_service.update_unit(unit, name=name, level=level, actor=actor)


@transactional
def move_unit(
    unit: Unit, parent_code: str | None, *, on: date | None = None, actor: User | None = None
) -> Unit:
    """Put a unit under another (or make it a root) from a date on, keeping the old link."""
    return org_service.move_unit(unit, unit_for_code(parent_code), on=on, actor=actor)


def overview() -> dict[str, int]:
    """The admin dashboard's figures: accounts, active accounts, units."""
    return {
        "users": db.session.scalar(select(func.count(User.id))),
        "active": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "units": db.session.scalar(select(func.count(Unit.id))),
    }
