"""Pure grading functions, one per question type: `GRADERS[item.type](item, response) -> Score`.

Responses name options by their stable keys (the position in authored order), never by display
order, so the attempt layer maps its opaque ids onto keys before grading:

| type | response |
|---|---|
| single | option key (int) or None |
| multiple | iterable of option keys, or None |
| true_false | bool or None |
| short_answer | the typed text, or None |
| numerical | the typed text ("3,14" or "3.14") or a number, or None |
| matching | mapping of left pair key -> chosen pair key (whose right side was picked) |
| essay, description | anything; not graded here |

Anything the item does not have (an unknown key, a value of the wrong kind) earns nothing and is
listed in `Score.ignored`; grading never raises on a learner's input.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .formats.numbers import parse_decimal
from .items import (
    ChoiceItem,
    Item,
    Matching,
    Numerical,
    ShortAnswer,
    TrueFalse,
    is_full,
)

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


def _is_key(value: Any, size: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size


def grade_single(item: ChoiceItem, response: Response) -> Score:
    """Give the weight of the chosen option, never below zero."""
    if response is None:
        return Score.of(0)
    if not _is_key(response, len(item.options)):
        return Score.of(0, ignored=[response])
    option = item.options[response]
    part = Part(response, is_full(option.weight), option.weight / 100, option.feedback)
    return Score.of(option.weight / 100, [part])


def grade_multiple(item: ChoiceItem, response: Response) -> Score:
    """Add the weights of the chosen options (Moodle style), floored at 0 and capped at 1."""
    if response is None:
        return Score.of(0)
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Iterable):
        return Score.of(0, ignored=[response])
    chosen: list[int] = []
    ignored = []
    for key in response:
        if not _is_key(key, len(item.options)):
            ignored.append(key)
        elif key not in chosen:
            chosen.append(key)
    chosen.sort()
    parts = [
        Part(k, item.options[k].weight > 0, item.options[k].weight / 100, item.options[k].feedback)
        for k in chosen
    ]
    return Score.of(sum(part.credit for part in parts), parts, ignored)


def grade_true_false(item: TrueFalse, response: Response) -> Score:
    """Give full marks when the chosen truth value is the right one."""
    if response is None:
        return Score.of(0)
    if not isinstance(response, bool):
        return Score.of(0, ignored=[response])
    right = response == item.answer
    feedback = item.feedback_true if response else item.feedback_false
    return Score.of(1.0 if right else 0.0, [Part(None, right, 1.0 if right else 0.0, feedback)])


def fold_text(text: str, *, diacritics: bool = False) -> str:
    """Return text as answers compare: NFC, case-folded, single-spaced, optionally unaccented."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    if diacritics:
        stripped = unicodedata.normalize("NFD", text.replace("đ", "d"))
        text = unicodedata.normalize(
            "NFC", "".join(c for c in stripped if not unicodedata.combining(c))
        )
    return text


@lru_cache(maxsize=4096)
def _pattern(answer: str, diacritics: bool) -> tuple[str, ...]:
    """Split an accepted answer at its `*` wildcards; `\\*` stays a literal star."""
    pieces = [""]
    text = fold_text(answer, diacritics=diacritics)
    index = 0
    while index < len(text):
        if text.startswith("\\*", index):
            pieces[-1] += "*"
            index += 2
            continue
        if text[index] == "*":
            pieces.append("")
        else:
            pieces[-1] += text[index]
        index += 1
    return tuple(pieces)


def wildcard_match(pieces: tuple[str, ...], text: str) -> bool:
    """Match text against pieces joined by `*`, anchored at both ends, without backtracking."""
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def grade_short_answer(item: ShortAnswer, response: Response) -> Score:
    """Give the best weight among the accepted answers the typed text matches."""
    if response is None:
        return Score.of(0)
    if not isinstance(response, str) or len(response) > MAX_TYPED:
        return Score.of(0, ignored=[response])
    fold = item.diacritics_insensitive
    typed = fold_text(response, diacritics=fold)
    if not typed:
        return Score.of(0)
    best: tuple[int, Any] | None = None
    for index, answer in enumerate(item.answers):
        if wildcard_match(_pattern(answer.text, fold), typed) and (
            best is None or answer.weight > best[1].weight
        ):
            best = (index, answer)
    if best is None:
        return Score.of(0)
    index, answer = best
    return Score.of(
        answer.weight / 100,
        [Part(index, is_full(answer.weight), answer.weight / 100, answer.feedback)],
    )


def read_number(response: Response) -> float | None:
    """Read a typed number, with a decimal comma or point; None if it is not a finite number."""
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        return float(response) if math.isfinite(response) else None
    if not isinstance(response, str) or len(response) > 100:
        return None
    value = parse_decimal(response)
    return None if value is None else float(value)


def grade_numerical(item: Numerical, response: Response) -> Score:
    """Give the best weight among the intervals the typed number falls in."""
    if response is None or (isinstance(response, str) and not response.strip()):
        return Score.of(0)
    number = read_number(response)
    if number is None:
        return Score.of(0, ignored=[response])
    best = None
    for index, answer in enumerate(item.answers):
        inside = answer.is_catch_all or answer.min <= number <= answer.max  # type: ignore[operator]
        if inside and (best is None or answer.weight > item.answers[best].weight):
            best = index
    if best is None:
        return Score.of(0)
    answer = item.answers[best]
    return Score.of(
        answer.weight / 100,
        [Part(best, is_full(answer.weight), answer.weight / 100, answer.feedback)],
    )


def grade_matching(item: Matching, response: Response) -> Score:
    """Give the share of real pairs matched to a right side with the right text."""
    lefts = item.left_keys()
    if response is None or not lefts:
        return Score.of(0)
    if not isinstance(response, Mapping):
        return Score.of(0, ignored=[response])
    ignored = [key for key in response if key not in lefts]
    parts = []
    for key in lefts:
        chosen = response.get(key)
        valid = _is_key(chosen, len(item.pairs))
        if chosen is not None and not valid:
            ignored.append(chosen)
        # Two pairs may share a right side; either of them shows the same text.
        right = valid and item.pairs[chosen].right == item.pairs[key].right
        parts.append(Part(key, right, 1 / len(lefts) if right else 0.0))
    return Score.of(sum(part.credit for part in parts), parts, ignored)


def grade_by_hand(item: Item, response: Response) -> Score:
    """Leave essays to a person and descriptions ungraded."""
    return Score(points=None, correct=False, partial=False, needs_manual=item.type == "essay")


GRADERS: dict[str, Callable[[Any, Response], Score]] = {
    "single": grade_single,
    "multiple": grade_multiple,
    "true_false": grade_true_false,
    "short_answer": grade_short_answer,
    "numerical": grade_numerical,
    "matching": grade_matching,
    "essay": grade_by_hand,
    "description": grade_by_hand,
}


def grade(item: Item, response: Response) -> Score:
    """Grade response to item with the grader of its type."""
    return GRADERS[item.type](item, response)
