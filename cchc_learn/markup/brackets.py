"""Which `[` in an inline text could ever be closed, so hopeless ones skip markdown-it's scan.

markdown-it looks for the end of a link label by walking forward and counting brackets,
trying every inline rule at every step. On a run of thousands of `[` with a `]` far away,
each opener repeats that walk, nested up to the nesting limit. A single backward pass finds
the openers that cannot close, and the parser treats those as text straight away.

The answer is conservative: it says "cannot close" only when no parse could close the label.
Brackets are counted exactly up to the first character that may start a token hiding brackets
(a code span, an autolink, an escape, a link destination, a footnote); past it, every `]`
is assumed to count and no `[`.
"""

from __future__ import annotations

from itertools import accumulate

_HIDING = frozenset("`<(\\^")
_EXACT_BELOW = 256
"""Texts with fewer `[` than this only get the cheap test "is there any `]` after it"."""


class BracketMap:
    """Answer "could a label opened by the `[` at this index be closed?" for one text."""

    def __init__(self, src: str) -> None:
        self._last_close = src.rfind("]")
        self._closable: bytearray | None = None
        if src.count("[") >= _EXACT_BELOW:
            self._closable = _closable_openers(src)

    def can_close(self, opener: int) -> bool:
        """Return False only if no parse can close a label opened at index `opener`."""
        if self._last_close < opener:
            return False
        if self._closable is None:
            return True
        return bool(self._closable[opener])


def _closable_openers(src: str) -> bytearray:
    size = len(src)
    # balance[i]: count of `[` minus count of `]` in src[: i + 1].
    balance = list(accumulate(1 if ch == "[" else -1 if ch == "]" else 0 for ch in src))
    closable = bytearray(size)
    infinity = size + 1
    seg_min = infinity  # lowest balance between the index and the next hiding character
    hiding_at: int | None = None
    balance_at_hiding = 0
    closes_after_hiding = 0  # count of `]` from the next hiding character to the end
    closes_seen = 0
    for index in range(size - 1, -1, -1):
        ch = src[index]
        here = balance[index]
        if ch == "[":
            needed = here - 1
            closable[index] = seg_min <= needed or (
                hiding_at is not None and closes_after_hiding >= balance_at_hiding - needed
            )
        elif ch == "]":
            closes_seen += 1
        if ch in _HIDING:
            hiding_at = index
            balance_at_hiding = here
            closes_after_hiding = closes_seen
            seg_min = infinity
        elif here < seg_min:
            seg_min = here
    return closable
