"""Line diffs between two revisions of a text, ready to show (escaped by the template)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_DIFF_INPUT_LINES = 20_000
MAX_DIFF_LINES = 5000


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: kind is "add", "del", "hunk" or "same"."""

    kind: str
    text: str


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A unified line diff of two texts (capped so huge texts stay quick)."""
    old_lines = old.splitlines()[:MAX_DIFF_INPUT_LINES]
    new_lines = new.splitlines()[:MAX_DIFF_INPUT_LINES]
    out: list[DiffLine] = []
    lines = difflib.unified_diff(old_lines, new_lines, lineterm="", n=context)
    # The first two lines name the files; a body line may itself start with "---".
    for index, line in enumerate(lines):
        if index < 2:
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(DiffLine(kind, line))
        if len(out) >= MAX_DIFF_LINES:
            out.append(DiffLine("hunk", "… (phần còn lại quá dài, không hiển thị)"))
            break
    return out
