"""How the texts of questions and answers are cleaned, checked and compared."""

from __future__ import annotations

import re
import unicodedata

# Only ASCII blanks are trimmed: a leading no-break space is content, not layout.
BLANKS = " \t\n"
# Unicode category Cc (C0, DEL, C1) except line feed and tab.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Return text as stored: NFC, LF line breaks, blank-only lines emptied, ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = ["" if not line.strip(" \t") else line for line in text.split("\n")]
    return "\n".join(lines).strip(BLANKS)


def clean_number(value: float) -> float:
    """Return value as a float without a negative zero."""
    value = float(value)
    return 0.0 if value == 0 else value


def bad_control_char(text: str) -> str | None:
    """Return the first control character that no question text may hold, if any."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def fold_text(text: str, *, diacritics: bool = False) -> str:
    """Return text as answers compare: NFC, case-folded, single-spaced, optionally unaccented."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    if diacritics:
        stripped = unicodedata.normalize("NFD", text.replace("đ", "d"))
        text = unicodedata.normalize(
            "NFC", "".join(c for c in stripped if not unicodedata.combining(c))
        )
    return text
