"""How answers are spelled in bank files, for the read and write hooks of every question type.

Markdown: an answer-list line with its continuation and feedback lines (`Entry`), truth words and
numeric answers. GIFT: escapes and format tags. The file-level grammar (sections, blocks,
front matter, categories) stays in `formats`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import NUMBER, as_float, interval, parse_decimal
from .text import clean_text

TRUE_WORDS = frozenset({"đúng", "true"})
FALSE_WORDS = frozenset({"sai", "false"})
CATCH_ALL = (None, None)
_RANGE = re.compile(rf"({NUMBER})[ \t]*\.\.[ \t]*({NUMBER})")
# `= answer (50%)`: one optional space before the weight belongs to it, so a writer can keep
# a trailing hard break on the answer's first line.
WEIGHT_SUFFIX = re.compile(r" ?\((?P<w>[-+]?\d+(?:[.,]\d+)?)[ \t]*%\)[ \t]*$")
_CENTER = re.compile(rf"({NUMBER})[ \t]*(?:±|\+/-|\+-|:)[ \t]*({NUMBER})")

# The truth values of a GIFT true/false block.
GIFT_TRUTH = {"T": True, "TRUE": True, "F": False, "FALSE": False}
FORMAT_TAG = re.compile(r"\[(html|moodle|plain|markdown)\]")
GIFT_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_NEEDS_ESCAPE = {
    "\\": "\\\\",
    "~": "\\~",
    "=": "\\=",
    "#": "\\#",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
}


@dataclass
class Entry:
    """One Markdown answer-list line with its indented continuation and feedback lines."""

    kind: str  # "option", "answer" or "pair"
    line: int
    text: list[str]
    right: str = ""
    mark: str = ""  # options: "x", " " or "%" (an explicit weight)
    weight: float | None = None
    feedback: list[str] = field(default_factory=list)


def split_lines(text: str) -> list[str]:
    """The lines of an optional text (none when it is empty), for Entry texts and feedback."""
    return text.split("\n") if text else []


def truth_value(text: str) -> bool | None:
    """Read Đúng/Sai (or true/false) in any case; None for anything else."""
    word = clean_text(text).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def numeric_spec(text: str) -> tuple[float | None, float | None] | None:
    """Read `360`, `3.14 ± 0.01`, `3,14 +- 0,01`, `3.14:0.01`, `1..5` or `*` as (min, max)."""
    text = text.strip(" \t")
    if text == "*":
        return CATCH_ALL
    match = _RANGE.fullmatch(text)
    if match:
        low, high = parse_decimal(match[1]), parse_decimal(match[2])
        if low is None or high is None:
            return None
        return as_float(low), as_float(high)
    match = _CENTER.fullmatch(text)
    if match:
        center, tolerance = parse_decimal(match[1]), parse_decimal(match[2])
        if center is None or tolerance is None:
            return None
        return interval(center, tolerance)
    value = parse_decimal(text)
    if value is None:
        return None
    return as_float(value), as_float(value)


def unescape(text: str) -> str:
    """Resolve GIFT escapes: `\\~` and the like give the character, `\\n` a line break."""
    return GIFT_ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], text)


def escape(text: str) -> str:
    """Write text so that GIFT reads it back unchanged, on a single line."""
    out = "".join(_NEEDS_ESCAPE.get(char, char) for char in text)
    return out.replace("\n", "\\n")


def gift_text(text: str, fmt: str) -> str:
    """Write a text of an answer block; one that begins like a format tag gets the real tag."""
    protect = FORMAT_TAG.match(text) is not None
    return (f"[{fmt}]" if protect else "") + escape(text)


def gift_feedback(text: str, fmt: str) -> str:
    """Write ` #feedback` after an answer (nothing when there is no feedback)."""
    return f" #{gift_text(text, fmt)}" if text else ""


def gift_general(explanation: str, fmt: str) -> str:
    """Write the general feedback `####…` that closes an answer block."""
    return f"####{gift_text(explanation, fmt)}" if explanation else ""


def gift_answer_lines(lines: list[str], explanation: str, fmt: str, opening: str = "{") -> str:
    """An answer block of one answer per line, closed by the general feedback if any."""
    if explanation:
        lines = [*lines, gift_general(explanation, fmt)]
    return opening + "\n" + "".join(f"\t{line}\n" for line in lines) + "}"
