"""Column headers: which fields each kind of file has, their aliases and length limits."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ... import textnorm


@dataclass(frozen=True)
class Field:
    """One column a file may have."""

    key: str
    label: str
    required: bool
    max_length: int
    aliases: tuple[str, ...] = ()


UNIT_FIELDS = (
    Field("code", "Mã", True, 32, ("code", "mã", "mã đơn vị", "unit code")),
    Field("name", "Tên", True, 200, ("name", "tên", "tên đơn vị", "unit name")),
    Field("level", "Cấp", True, 60, ("level", "cấp", "cấp đơn vị", "cấp hành chính")),
    Field(
        "parent_code",
        "Mã đơn vị cấp trên",
        False,
        32,
        ("parent_code", "parent", "mã đơn vị cấp trên", "mã cấp trên", "đơn vị cấp trên"),
    ),
    Field(
        "valid_from",
        "Hiệu lực từ",
        False,
        20,
        ("valid_from", "hiệu lực từ", "hiệu lực từ ngày", "ngày hiệu lực", "từ ngày"),
    ),
)

ACCOUNT_FIELDS = (
    Field(
        "username",
        "Tên đăng nhập",
        True,
        64,
        ("username", "user", "login", "tên đăng nhập", "tài khoản"),
    ),
    Field("full_name", "Họ và tên", True, 200, ("full_name", "name", "họ và tên", "họ tên")),
    Field("email", "Email", False, 254, ("email", "e-mail", "thư điện tử")),
    Field("unit_code", "Mã đơn vị", True, 32, ("unit_code", "unit", "mã đơn vị")),
    Field("position", "Chức danh", False, 200, ("position", "chức danh", "chức vụ")),
    Field("roles", "Vai trò", False, 200, ("roles", "role", "vai trò", "quyền")),
)

FIELDS = {"units": UNIT_FIELDS, "accounts": ACCOUNT_FIELDS}


def fold(text: str) -> str:
    """Reduce text to lowercase ASCII letters and digits (case, spaces, diacritics ignored)."""
    return "".join(ch for ch in textnorm.fold(text or "") if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class ColumnMap:
    """Where each known field sits in the file and what its header says there."""

    positions: dict[str, int]
    headers: dict[str, str]

    def header(self, key: str) -> str:
        """The header as written in the file (the field's label if the column is absent)."""
        return self.headers.get(key, key)


def column_name(index: int) -> str:
    """A 0-based column index as the user sees it, e.g. `cột 3 (C)`."""
    return f"cột {index + 1} ({get_column_letter(index + 1)})"


def map_headers(kind: str, headers: list[str], used: set[int]) -> tuple[ColumnMap, list[str]]:
    """Match header cells to fields; return the map and file-level problems in Vietnamese.

    used holds the indexes of columns that carry data in some row: an untitled column is
    only a problem when something was written under it.
    """
    fields = FIELDS[kind]
    by_alias = {fold(alias): f for f in fields for alias in (f.key, f.label, *f.aliases)}
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            if index in used:
                where = column_name(index).capitalize()
                problems.append(f"{where} có dữ liệu nhưng không có tiêu đề.")
            continue
        field = by_alias.get(fold(header))
        if field is None:
            unknown.append(f"“{header}” ({column_name(index)})")
            continue
        if field.key in positions:
            problems.append(
                f"Hai cột cùng là “{field.label}”: “{written[field.key]}” và “{header}”."
            )
            continue
        positions[field.key] = index
        written[field.key] = header
    if unknown:
        allowed = ", ".join(f"{f.label} ({f.key})" for f in fields)
        problems.append(f"Cột không nhận ra: {', '.join(unknown)}. Các cột dùng được: {allowed}.")
    for field in fields:
        if field.required and field.key not in positions:
            problems.append(f"Thiếu cột bắt buộc “{field.label}” ({field.key}).")
    return ColumnMap(positions, written), problems
