"""The grade of one response, whatever the type: `grade(item, response) -> Score`.

Responses name options by their stable keys (the position in authored order), never by display
order, so the attempt layer maps its opaque ids onto keys before grading. Anything the item does
not have (an unknown key, a value of the wrong kind) earns nothing and is listed in
`Score.ignored`; grading never raises on a learner's input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Response = Any
MAX_TYPED = 2_000
# A weight sum of 3 x 33.33333 % still gives full marks, as in Moodle.
_FULL_ENOUGH = 1 - 1e-6


@dataclass(frozen=True)
class Part:
    """What one option, answer or pair contributed: credit is a signed fraction of the item."""

    key: int | None
    correct: bool
    credit: float
    feedback: str = ""


@dataclass(frozen=True)
class Score:
    """The grade of one response: points is the fraction (0..1) of the item's maximum."""

    points: float | None
    correct: bool
    partial: bool
    needs_manual: bool = False
    parts: tuple[Part, ...] = ()
    ignored: tuple[Any, ...] = ()

    @classmethod
    def of(cls, points: float, parts: Iterable[Part] = (), ignored: Iterable[Any] = ()) -> Score:
        """Build an automatic score, clamping points into 0..1."""
        points = min(max(points, 0.0), 1.0)
        if points >= _FULL_ENOUGH:
            points = 1.0
        elif points < 1e-12:
            points = 0.0
        return cls(
            points=points,
            correct=points == 1.0,
            partial=0.0 < points < 1.0,
            parts=tuple(parts),
            ignored=tuple(ignored),
        )

    @property
    def feedback(self) -> list[str]:
        """Return the feedback texts the response earned, in option order."""
        return [part.feedback for part in self.parts if part.feedback]


def is_key(value: Any, size: int) -> bool:
    """Whether value is a key (an int from 0) of a list of size parts."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size
