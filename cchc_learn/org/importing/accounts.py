"""Accounts files: check every row against the file and the database, then create accounts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from ...access import ROLE_LABELS, ROLES
from ...auth import service as auth_service
from ...auth.models import User
from ...extensions import db
from .. import service as org_service
from ..models import Unit
from .columns import ColumnMap, fold
from .planning import chunks, fetch_in, field_problem, mark_duplicates, units_by_code
from .results import CREATE, ERROR, ImportPlan, PlannedRow

ROLE_SEPARATORS = re.compile(r"[;,|]")


@dataclass(frozen=True)
class AccountRecord:
    """An account as a row describes it (a field is None when its cell was refused)."""

    username: str | None
    full_name: str | None
    email: str | None
    unit_code: str | None
    position: str | None
    roles: frozenset[str]


def _role_names() -> dict[str, str]:
    names = {fold(key): key for key in ROLES}
    names.update({fold(label): key for key, label in ROLE_LABELS.items()})
    return names


def _role_hint() -> str:
    return "; ".join(f"{key} ({label})" for key, label in ROLE_LABELS.items())


def _parse_roles(text: str, names: dict[str, str]) -> tuple[frozenset[str], list[str]]:
    chosen: set[str] = set()
    unknown: list[str] = []
    for part in ROLE_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        key = names.get(fold(part))
        if key is None:
            unknown.append(part)
        else:
            chosen.add(key)
    return frozenset(chosen or {"official"}), unknown


def _parse(row: PlannedRow, cmap: ColumnMap, roles: dict[str, str]) -> AccountRecord:
    cells, header = row.cells, cmap.header
    username = full_name = None
    email = position = None
    role_set: frozenset[str] = frozenset({"official"})
    if not field_problem(row, cmap, "username"):
        if not cells["username"]:
            row.fail(header("username"), "Chưa nhập tên đăng nhập (cột bắt buộc).")
        else:
            try:
                username = auth_service.validate_username(cells["username"])
            except auth_service.AuthError as exc:
                row.fail(header("username"), f"“{cells['username']}”: {exc}")
    if not field_problem(row, cmap, "full_name"):
        full_name = cells["full_name"] or None
        if full_name is None:
            row.fail(header("full_name"), "Chưa nhập họ và tên (cột bắt buộc).")
    if cells.get("email") and not field_problem(row, cmap, "email"):
        try:
            email = auth_service.validate_email(cells["email"])
        except auth_service.AuthError as exc:
            row.fail(header("email"), str(exc))
    if not field_problem(row, cmap, "position"):
        position = cells.get("position") or None
    if cells.get("roles") and not field_problem(row, cmap, "roles"):
        role_set, unknown = _parse_roles(cells["roles"], roles)
        if unknown:
            listed = ", ".join(f"“{u}”" for u in unknown)
            row.fail(header("roles"), f"Vai trò không hợp lệ: {listed}. Dùng: {_role_hint()}.")
    unit_code = None
    if not field_problem(row, cmap, "unit_code"):
        if cells["unit_code"]:
            try:
                unit_code = org_service.validate_code(cells["unit_code"])
            except org_service.OrgError as exc:
                row.fail(header("unit_code"), f"“{cells['unit_code']}”: {exc}")
        elif "official" in role_set:
            row.fail(
                header("unit_code"),
                "Chưa nhập mã đơn vị: mỗi học viên (cán bộ, công chức) phải thuộc một đơn vị.",
            )
    return AccountRecord(username, full_name, email, unit_code, position, role_set)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _differences(record: AccountRecord, user: User, unit: Unit | None) -> list[str]:
    found = []
    if _nfc(user.full_name) != record.full_name:
        found.append(f"họ và tên (trong hệ thống: “{user.full_name}”)")
    if (user.email or "").casefold() != (record.email or "").casefold():
        found.append(f"email (trong hệ thống: {user.email or 'không có'})")
    if (unit.code if unit else "").lower() != (record.unit_code or "").lower():
        found.append(f"đơn vị (trong hệ thống: {unit.code if unit else 'chưa có'})")
    if _nfc(user.position) != (record.position or ""):
        found.append(f"chức danh (trong hệ thống: “{user.position or ''}”)")
    if user.role_names != set(record.roles):
        labels = ", ".join(ROLE_LABELS[r] for r in sorted(user.role_names))
        found.append(f"vai trò (trong hệ thống: {labels})")
    return found


def _existing_users(usernames: set[str]) -> tuple[dict[str, User], dict[int, Unit]]:
    users = {user.username: user for (user,) in fetch_in(select(User), User.username, usernames)}
    ids = [u.id for u in users.values()]
    units: dict[int, Unit] = {}
    for part in chunks(ids):
        units.update(org_service.current_units(list(part)))
    return users, units


def plan_accounts(plan: ImportPlan, cmap: ColumnMap) -> None:
    """Fill in each row's record and status; every problem lands on its row."""
    roles = _role_names()
    for row in plan.rows:
        row.record = _parse(row, cmap, roles)

    def username_key(row: PlannedRow) -> str:
        return row.record.username or auth_service.normalise_username(row.cells["username"])

    mark_duplicates(plan.rows, username_key, cmap.header("username"), "Tên đăng nhập")
    _check_units(plan.rows, cmap)
    clean = [r for r in plan.rows if r.status != ERROR]
    users, current = _existing_users({r.record.username for r in clean})
    for row in clean:
        user = users.get(row.record.username)
        if user is None:
            continue
        diff = _differences(row.record, user, current.get(user.id))
        row.match_existing(diff, cmap.header("username"), f"Tài khoản {user.username}")


def _check_units(rows: list[PlannedRow], cmap: ColumnMap) -> None:
    """Fail rows naming a unit that does not exist or no longer exists."""
    known = units_by_code({r.record.unit_code for r in rows if r.record.unit_code})
    for row in rows:
        code = row.record.unit_code
        if not code:
            continue
        unit = known.get(code.lower())
        if unit is None:
            row.fail(cmap.header("unit_code"), f"Không có đơn vị mã {code}.")
        elif unit.valid_to is not None:
            row.fail(
                cmap.header("unit_code"),
                f"Đơn vị {unit.code} đã ngừng hoạt động từ {unit.valid_to.strftime('%d/%m/%Y')}.",
            )


@dataclass
class PreparedAccounts:
    """The accounts a checked plan creates, hashed and ready to be written in one go."""

    accounts: list[auth_service.NewAccount]
    unit_codes: list[str | None]


def prepare_accounts(plan: ImportPlan) -> PreparedAccounts:
    """Hash the new accounts' passwords and build them, writing nothing (the slow part)."""
    rows = [r for r in plan.rows if r.status == CREATE]
    accounts = []
    # The plan already checked every name against the database; skipping autoflush keeps the
    # existence check in prepare_account a plain read.
    with db.session.no_autoflush:
        for row in rows:
            record = row.record
            accounts.append(
                auth_service.prepare_account(
                    record.username,
                    record.full_name,
                    roles=set(record.roles),
                    email=record.email,
                    position=record.position,
                )
            )
    return PreparedAccounts(accounts, [r.record.unit_code for r in rows])


def create_accounts(
    prepared: PreparedAccounts, actor: User | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """Write prepared accounts and their units in one flush; return usernames and passwords."""
    units = units_by_code({code for code in prepared.unit_codes if code})
    auth_service.add_accounts(prepared.accounts, actor=actor)
    placements = []
    for account, code in zip(prepared.accounts, prepared.unit_codes, strict=True):
        if not code:
            continue
        if code.lower() not in units:
            raise org_service.OrgError(f"không còn đơn vị mã {code}")
        placements.append((account.user, units[code.lower()]))
    org_service.place_new_accounts(placements, actor=actor)
    created = [account.user.username for account in prepared.accounts]
    passwords = [(a.user.username, a.password) for a in prepared.accounts if a.password]
    return created, passwords
