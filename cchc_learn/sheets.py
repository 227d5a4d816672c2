"""What every CSV and XLSX export shares: a typed text is never read as a formula."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (or mangle it)."""
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return text.startswith(FORMULA_STARTS)


def plain(value: object) -> object:
    """A text cell made plain text with a leading apostrophe when it looks like a formula."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
