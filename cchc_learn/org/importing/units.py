"""Units files: check every row against the file and the database, then create the new units."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from ...auth.models import User
from ...extensions import db
from .. import service as org_service
from ..models import LEVELS, Unit
from .columns import ColumnMap, fold
from .planning import field_problem, mark_duplicates, parse_day, units_by_code
from .results import CREATE, ERROR, ImportPlan, PlannedRow


@dataclass(frozen=True)
class UnitRecord:
    """A unit as a row describes it (a field is None when its cell was refused)."""

    code: str | None
    name: str | None
    level: str | None
    parent_code: str | None
    valid_from: date | None


def _level_names() -> dict[str, str]:
    """Folded spellings of each level: the key, the label, and each part of the label."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, label in LEVELS.items():
        names[fold(key)] = key
        names[fold(label)] = key
    for key, label in LEVELS.items():
        for part in label.split(","):
            folded = fold(part)
            if not folded or folded in ambiguous:
                continue
            if names.get(folded, key) != key:
                ambiguous.add(folded)
                names.pop(folded)
            else:
                names[folded] = key
    return names


def _level_hint() -> str:
    return "; ".join(f"{key} ({label})" for key, label in LEVELS.items())


def _parse(row: PlannedRow, cmap: ColumnMap, levels: dict[str, str]) -> UnitRecord:
    cells, header = row.cells, cmap.header
    code = name = level = None
    parent: str | None = None
    day: date | None = None
    if not field_problem(row, cmap, "code"):
        try:
            code = org_service.validate_code(cells["code"]) if cells["code"] else None
        except org_service.OrgError as exc:
            row.fail(header("code"), f"“{cells['code']}”: {exc}")
        else:
            if code is None:
                row.fail(header("code"), "Chưa nhập mã đơn vị (cột bắt buộc).")
    if not field_problem(row, cmap, "name"):
        name = cells["name"] or None
        if name is None:
            row.fail(header("name"), "Chưa nhập tên đơn vị (cột bắt buộc).")
    if not field_problem(row, cmap, "level"):
        level = levels.get(fold(cells["level"])) if cells["level"] else None
        if level is None:
            shown = "Chưa nhập cấp"
            if cells["level"]:
                shown = f"“{cells['level']}” không phải cấp đơn vị"
            row.fail(header("level"), f"{shown}. Dùng một trong: {_level_hint()}.")
    raw_parent = cells.get("parent_code", "")
    if raw_parent and not field_problem(row, cmap, "parent_code"):
        try:
            parent = org_service.validate_code(raw_parent)
        except org_service.OrgError as exc:
            row.fail(header("parent_code"), f"“{raw_parent}”: {exc}")
        else:
            if code and parent.lower() == code.lower():
                row.fail(header("parent_code"), "Đơn vị không thể là cấp trên của chính nó.")
    raw_day = cells.get("valid_from", "")
    if raw_day and not field_problem(row, cmap, "valid_from"):
        day = parse_day(raw_day)
        if day is None:
            row.fail(
                header("valid_from"),
                f"Ngày “{raw_day}” không hợp lệ; viết dạng 31/12/2025 hoặc 2025-12-31.",
            )
    return UnitRecord(code, name, level, parent, day)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _differences(record: UnitRecord, unit: Unit) -> list[str]:
    found = []
    if _nfc(unit.name) != record.name:
        found.append(f"tên (trong hệ thống: “{unit.name}”)")
    if unit.level != record.level:
        found.append(f"cấp (trong hệ thống: {unit.level})")
    current_parent = unit.parent.code if unit.parent else None
    if (current_parent or "").lower() != (record.parent_code or "").lower():
        found.append(f"đơn vị cấp trên (trong hệ thống: {current_parent or 'không có'})")
    if record.valid_from and record.valid_from != unit.valid_from:
        found.append(f"ngày hiệu lực (trong hệ thống: {unit.valid_from.strftime('%d/%m/%Y')})")
    return found


def plan_units(plan: ImportPlan, cmap: ColumnMap) -> None:
    """Fill in each row's record and status; every problem lands on its row."""
    levels = _level_names()
    for row in plan.rows:
        row.record = _parse(row, cmap, levels)
    mark_duplicates(plan.rows, lambda r: r.cells["code"].lower(), cmap.header("code"), "Mã đơn vị")
    records = [r.record for r in plan.rows]
    existing = units_by_code(
        {r.code for r in records if r.code} | {r.parent_code for r in records if r.parent_code}
    )
    in_file = {r.code.lower() for r in records if r.code}
    for row in plan.rows:
        record = row.record
        unit = existing.get(record.code.lower()) if record.code else None
        if unit is None:
            _check_parent(row, existing, in_file, cmap)
        elif row.status != ERROR:
            diff = _differences(record, unit)
            row.match_existing(diff, cmap.header("code"), f"Mã đơn vị {unit.code}")
    _mark_cycles(plan.rows, existing, cmap)


def _check_parent(
    row: PlannedRow, existing: dict[str, Unit], in_file: set[str], cmap: ColumnMap
) -> None:
    """Fail a new unit whose parent is neither in the file nor a current unit."""
    code = row.record.parent_code
    if not code:
        return
    parent = existing.get(code.lower())
    if parent is None and code.lower() not in in_file:
        row.fail(
            cmap.header("parent_code"),
            f"Không có đơn vị cấp trên mã {code} (không có trong tệp và chưa có trong hệ thống).",
        )
    elif parent is not None and parent.valid_to is not None:
        row.fail(
            cmap.header("parent_code"),
            f"Đơn vị cấp trên {parent.code} đã ngừng hoạt động từ "
            f"{parent.valid_to.strftime('%d/%m/%Y')}.",
        )


def _mark_cycles(rows: list[PlannedRow], existing: dict[str, Unit], cmap: ColumnMap) -> None:
    """Fail every new row that is its own ancestor through other new rows."""
    parent_of: dict[str, str] = {}
    row_of: dict[str, PlannedRow] = {}
    for row in rows:
        record = row.record
        if not record.code or record.code.lower() in existing:
            continue
        row_of[record.code.lower()] = row
        if record.parent_code:
            parent_of[record.code.lower()] = record.parent_code.lower()
    reported: set[str] = set()
    for start in row_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in row_of and node not in path:
            path.append(node)
            node = parent_of.get(node)
        if node is None or node not in path or node in reported:
            continue
        loop = path[path.index(node) :]
        shown = " → ".join(row_of[c].record.code for c in [*loop, loop[0]])
        for code in loop:
            reported.add(code)
            row_of[code].fail(cmap.header("parent_code"), f"Vòng lặp đơn vị cấp trên: {shown}.")


def create_units(plan: ImportPlan, actor: User | None) -> list[str]:
    """Create the plan's new units, parents before children; return their codes."""
    pending = {r.record.code.lower(): r.record for r in plan.rows if r.status == CREATE}
    outside = units_by_code(
        {r.parent_code.lower() for r in pending.values() if r.parent_code} - set(pending)
    )
    made: dict[str, Unit] = {}
    # create_unit flushes each unit itself; its code lookup needs no flush of the others.
    with db.session.no_autoflush:
        _create_in_order(pending, outside, made, actor)
    return [unit.code for unit in made.values()]


def _create_in_order(
    pending: dict[str, UnitRecord],
    outside: dict[str, Unit],
    made: dict[str, Unit],
    actor: User | None,
) -> None:
    for key in pending:
        chain: list[str] = []
        node: str | None = key
        while node in pending and node not in made and node not in chain:
            chain.append(node)
            parent_code = pending[node].parent_code
            node = parent_code.lower() if parent_code else None
        for code in reversed(chain):
            record = pending[code]
            parent_key = record.parent_code.lower() if record.parent_code else None
            parent = (made.get(parent_key) or outside.get(parent_key)) if parent_key else None
            made[code] = org_service.create_unit(
                record.code,
                record.name,
                record.level,
                parent,
                valid_from=record.valid_from,
                actor=actor,
            )
