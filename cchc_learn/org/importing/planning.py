"""Steps every import shares: read the file, match the header, split rows into fields."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ..models import Unit
from .columns import FIELDS, ColumnMap, column_name, map_headers
from .reading import read_table
from .results import KINDS, FileRejected, ImportPlan, PlannedRow

CHUNK = 500


def start_plan(
    kind: str, filename: str, data: bytes, *, max_bytes: int, max_rows: int
) -> tuple[ImportPlan, ColumnMap | None]:
    """Read and split the file; the plan holds file problems, or one row per data row."""
    plan = ImportPlan(kind=kind, filename=filename, sha256=hashlib.sha256(data).hexdigest())
    try:
        table = read_table(filename, data, max_bytes=max_bytes, max_rows=max_rows)
    except FileRejected as exc:
        plan.fail_file(str(exc))
        return plan, None
    width = len(table.headers)
    used = {i for i in table.used_columns() if i < width}
    cmap, problems = map_headers(kind, table.headers, used)
    for problem in problems:
        plan.fail_file(problem)
    if problems:
        other = next(k for k in FIELDS if k != kind)
        if not map_headers(other, table.headers, used)[1]:
            plan.fail_file(
                f"Các cột của tệp khớp với loại “{KINDS[other]}”: có thể bạn đã chọn nhầm loại "
                "dữ liệu khi nhập."
            )
        return plan, None
    fields = [f for f in FIELDS[kind] if f.key in cmap.positions]
    plan.columns = [(f.key, cmap.header(f.key)) for f in fields]
    for sheet_row in table.rows:
        row = PlannedRow(row=sheet_row.number, cells={})
        for f in fields:
            index = cmap.positions[f.key]
            value = sheet_row.cell(index)
            row.cells[f.key] = value
            if index in sheet_row.problems:
                row.fail(cmap.header(f.key), sheet_row.problems[index])
            elif len(value) > f.max_length:
                row.fail(
                    cmap.header(f.key), f"Quá dài ({len(value)} ký tự); tối đa {f.max_length}."
                )
        extra = [i for i, v in enumerate(sheet_row.cells) if i >= width and v]
        if extra:
            shown = sheet_row.cells[extra[0]][:40]
            row.fail(
                column_name(extra[0]),
                f"Dòng có {len(extra)} ô thừa ngoài các cột của dòng tiêu đề (ô đầu tiên: "
                f"“{shown}”). Nếu dữ liệu có dấu phẩy, hãy đặt cả ô trong ngoặc kép hoặc "
                "lưu tệp bằng Excel.",
            )
        plan.rows.append(row)
    return plan, cmap


def field_problem(row: PlannedRow, cmap: ColumnMap, key: str) -> bool:
    """Tell whether the row already has a problem in this field (so later checks skip it)."""
    header = cmap.header(key)
    return any(p.column == header for p in row.problems)


def mark_duplicates(
    rows: Iterable[PlannedRow], key: Callable[[PlannedRow], str | None], column: str, what: str
) -> None:
    """Fail every row whose key appears on more than one row, naming the other rows."""
    seen: dict[str, list[PlannedRow]] = {}
    for row in rows:
        value = key(row)
        if value:
            seen.setdefault(value, []).append(row)
    for group in seen.values():
        if len(group) < 2:
            continue
        for row in group:
            others = ", ".join(str(o.row) for o in group if o is not row)
            row.fail(column, f"{what} bị trùng trong tệp (trùng với dòng {others}).")


def chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    """Split a long list so IN (…) stays within every database's parameter limit."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch_in(query: Select, column, values: Iterable[str]) -> list:
    """Run query once per chunk of values (column IN chunk) and join the rows."""
    found: list = []
    ordered = sorted(set(values))
    for part in chunks(ordered):
        found.extend(db.session.execute(query.where(column.in_(part))).all())
    return found


def units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    """Existing units keyed by lower-case code."""
    query = select(Unit).options(selectinload(Unit.parent))
    rows = fetch_in(query, func.lower(Unit.code), [c.lower() for c in codes])
    return {unit.code.lower(): unit for (unit,) in rows}


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_day(text: str) -> date | None:
    """Read YYYY-MM-DD or dd/mm/yyyy; None when it is neither or no such day."""
    text = text.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
