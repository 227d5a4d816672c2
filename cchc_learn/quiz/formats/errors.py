"""The one error every bank parser raises, holding all problems of a file."""

from __future__ import annotations

from collections.abc import Iterable

# A bank file's problems are content-file problems like any other (a JSON file's have no line).
from ...content.problems import Problem


class QuestionFormatError(ValueError):
    """A bank file that cannot be imported; nothing of it may be kept."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.path, p.line if p.line is not None else 0)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """Collect the problems of one file, then raise them all at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        """Record a problem at a line (None when the file has no lines, e.g. JSON)."""
        self.items.append(Problem(self.path, line, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise QuestionFormatError when anything was recorded."""
        if self.items:
            raise QuestionFormatError(self.items)
