"""A parsed bank: its items and what its file says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...numbers import vi_count
from ..questions import Item
from .errors import Problems

# Most questions one bank file may hold: real banks have tens to hundreds, and every accepted
# file must be parsed, checked and previewed well inside a web worker's timeout.
MAX_ITEMS = 5_000
TOO_MANY_ITEMS = (
    f"tệp có hơn {vi_count(MAX_ITEMS)} câu hỏi (giới hạn một tệp); hãy chia thành nhiều tệp"
)


@dataclass
class Bank:
    """The items of one bank file, in file order, with the bank's own facts."""

    items: list[Item] = field(default_factory=list)
    slug: str | None = None
    title: str = ""
    description: str = ""


def check_unique_ids(items: list[Item], problems: Problems) -> None:
    """Record every item id used twice in one bank."""
    first_line: dict[str, int | None] = {}
    for item in items:
        if not item.id:
            continue
        if item.id in first_line:
            where = first_line[item.id]
            at = f" (đã dùng ở dòng {where})" if where is not None else ""
            problems.add(item.line, f"mã câu hỏi bị trùng: {item.id!r}{at}")
        else:
            first_line[item.id] = item.line
