"""Columns of the class import files: which headers name them, where they sit in a file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .import_files import column_letter, key


@dataclass(frozen=True)
class Column:
    """A column a file may have: its key, its Vietnamese label, the headers that name it."""

    key: str
    label: str
    max_length: int
    aliases: tuple[str, ...] = ()


IGNORED_HEADERS = (
    "stt", "tt", "số thứ tự", "số tt", "chữ ký", "ký tên", "ký", "ký nhận", "chức vụ",
    "chức danh", "position", "email", "e-mail", "điện thoại", "số điện thoại",
)
"""Columns that sign-in sheets and rosters often carry and that the import passes over."""


@dataclass
class ColumnMap:
    """Where each known column sits and what its header says in the file."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """The header as written in the file."""
        return self.headers.get(name, name)


def header_keys(columns: Iterable[Column]) -> dict[str, Column]:
    """Every accepted header, reduced with `key`, to its column."""
    return {key(alias): c for c in columns for alias in (c.key, c.label, *c.aliases)}


def map_columns(
    headers: list[str],
    columns: tuple[Column, ...],
    *,
    ignored: Iterable[str] = IGNORED_HEADERS,
    dynamic: Callable[[str], Column | None] | None = None,
) -> tuple[ColumnMap, list[tuple[int | None, str]]]:
    """Match header cells to columns; return the map and problems as (column index, message)."""
    by_key = header_keys(columns)
    skip = {key(h) for h in ignored}
    cmap = ColumnMap()
    problems: list[tuple[int | None, str]] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        found = by_key.get(key(header)) or (dynamic(header) if dynamic else None)
        if found is None:
            if key(header) not in skip:
                allowed = ", ".join(f"“{c.label}”" for c in columns)
                problems.append((index, f"Cột “{header}” không nhận ra. Các cột dùng được: "
                                        f"{allowed}."))
            continue
        if found.key in cmap.positions:
            first = cmap.positions[found.key]
            problems.append((index, f"Hai cột cùng là “{found.label}”: cột "
                                    f"{column_letter(first)} và cột {column_letter(index)}."))
            continue
        cmap.positions[found.key] = index
        cmap.headers[found.key] = header
    return cmap, problems
