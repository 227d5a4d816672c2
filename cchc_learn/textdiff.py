"""Line diffs between two revisions of a text, ready to show (escaped by the template)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_DIFF_LINES = 5000


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: kind is "add", "del", "hunk" or "same"."""

    kind: str
    text: str


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A unified diff of two texts as typed lines (capped for huge texts)."""
    out: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(DiffLine(kind, line))
        if len(out) >= MAX_DIFF_LINES:
            out.append(DiffLine("hunk", "… (phần còn lại quá dài, không hiển thị)"))
            break
    return out
