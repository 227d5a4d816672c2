"""Pick the format of a bank file by name and read or write it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..questions import Item
from .bank import Bank
from .errors import Problem, QuestionFormatError
from .gift import parse_gift
from .gift_export import to_gift
from .jsonfmt import dumps_items, loads_items
from .markdown import parse_markdown
from .markdown_export import to_markdown
from .source import MAX_BANK_CHARS, decode_bank

FORMATS = ("md", "gift", "json")
_SUFFIXES = {".md": "md", ".markdown": "md", ".gift": "gift", ".txt": "gift", ".json": "json"}


def format_for_path(path: str | Path) -> str | None:
    """Return the bank format a file name implies (`md`, `gift`, `json`), or None."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def parse_bank(text: str, fmt: str, path: str = "<bank>") -> Bank:
    """Parse bank text in the named format; raise QuestionFormatError listing every problem."""
    if fmt == "md":
        return parse_markdown(text, path)
    if fmt == "gift":
        return parse_gift(text, path)
    if fmt == "json":
        return Bank(items=loads_items(text, path))
    raise ValueError(f"unknown bank format {fmt!r}; use one of {', '.join(FORMATS)}")


def read_bank(path: str | Path, fmt: str | None = None) -> Bank:
    """Read a bank file (UTF-8, BOM allowed), choosing the format from its suffix if not given."""
    path = Path(path)
    fmt = fmt or format_for_path(path)
    if fmt is None:
        message = "không nhận ra định dạng tệp: dùng đuôi .md, .gift, .txt (GIFT) hoặc .json"
        raise QuestionFormatError([Problem(str(path), None, message)])
    with path.open("rb") as handle:
        data = handle.read(MAX_BANK_CHARS * 4 + 1)
    return parse_bank(decode_bank(data, str(path)), fmt, str(path))


def export_bank(
    items: Iterable[Item],
    fmt: str,
    *,
    bank: str | None = None,
    title: str = "",
    description: str = "",
) -> str:
    """Write items in the named format (`md`, `gift` or `json`)."""
    if fmt == "md":
        return to_markdown(items, bank=bank, title=title, description=description)
    if fmt == "gift":
        return to_gift(items)
    if fmt == "json":
        return dumps_items(items)
    raise ValueError(f"unknown bank format {fmt!r}; use one of {', '.join(FORMATS)}")
