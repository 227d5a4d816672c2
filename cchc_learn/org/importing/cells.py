"""Cell hygiene: normalise text and refuse what a spreadsheet could run or hide."""

from __future__ import annotations

import unicodedata

# A cell longer than any field allows is refused before the field's own limit is checked,
# so a hostile file cannot make the preview page carry megabytes of one cell.
MAX_CELL_CHARS = 1000

# Spreadsheets treat a cell starting with these as a formula when the file is opened again
# (CSV/formula injection, e.g. =HYPERLINK("http://…")); a leading tab or CR hides one.
FORMULA_PREFIXES = ("=", "+", "-", "@")
HIDING_PREFIXES = ("\t", "\r")


def formula_message(value: str) -> str:
    """Explain why a formula-looking cell is refused."""
    shown = value[:40] + ("…" if len(value) > 40 else "")
    return (
        f"Ô bắt đầu bằng “{value[:1]}” bị từ chối vì có thể là công thức bảng tính ({shown}). "
        "Hãy nhập giá trị thuần, không dùng công thức."
    )


def clean(raw: str) -> tuple[str, str | None]:
    """Return the cell NFC-normalised and trimmed, and the reason it is refused (or None)."""
    if raw.startswith(HIDING_PREFIXES):
        return raw.strip(), (
            "Ô bắt đầu bằng ký tự tab hoặc xuống dòng, cách thường dùng để giấu công thức "
            "bảng tính; hãy xoá ký tự đó."
        )
    value = unicodedata.normalize("NFC", raw).strip()
    if not value:
        return "", None
    if value.startswith(FORMULA_PREFIXES):
        return value, formula_message(value)
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            return value, (
                f"Ô chứa ký tự điều khiển hoặc ký tự ẩn (U+{ord(ch):04X}); "
                "hãy xoá ký tự đó hoặc gõ lại ô."
            )
    if len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS], f"Ô quá dài ({len(value)} ký tự)."
    return value, None
