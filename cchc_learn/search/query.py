"""Turn what a user typed into a query plan; nothing typed is ever read as query syntax.

Only double quotes mean something: a quoted stretch is a phrase. A document number typed
in full (4599/QĐ-UBND, 143/2025/qd-ubnd, 08-NQ/TU) is recognised too. Every other character
that is not part of a word (: * ? ~ ^ ( ) [ ] and so on) separates words, and AND, OR, NOT
are ordinary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc_learn.search.analysis import fold_word, normalize_text, query_words

MAX_QUERY_CHARS = 1000
MAX_WORDS = 32
MAX_PHRASES = 5
MAX_PHRASE_WORDS = 12
MAX_NUMBERS = 5

_QUOTES_RE = re.compile(r"[\"“”„«»]")
# A number: digits, then at least one / or - separated part; one part must hold a letter.
NUMBER_RE = re.compile(r"(?<![\w/-])\d+\w*(?:[/-]+\w+)+")
_DIGITS_RE = re.compile(r"\d{1,6}")
# Document types (folded words) and the abbreviation used in their numbers.
_TYPE_ABBREVIATIONS = {
    ("quyet", "dinh"): "qd",
    ("nghi", "dinh"): "nd",
    ("nghi", "quyet"): "nq",
    ("thong", "tu"): "tt",
    ("chi", "thi"): "ct",
    ("ke", "hoach"): "kh",
    ("thong", "bao"): "tb",
    ("huong", "dan"): "hd",
    ("bao", "cao"): "bc",
    ("de", "an"): "da",
    ("cong", "dien"): "cd",
}
_ABBREVIATIONS = frozenset(_TYPE_ABBREVIATIONS.values())
_NUMBER_WORD = "so"
# Longest number read from words typed with spaces: 143 2025 QĐ UBND TỈNH.
_MAX_RUN = 5


@dataclass
class QueryPlan:
    """What to look for, derived from the typed text."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    adjacent: list[tuple[str, str]] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    numbers: list[tuple[str, ...]] = field(default_factory=list)
    number_hints: list[tuple[str, str | None]] = field(default_factory=list)
    # Words from a digit on, as typed with spaces ("4599 QĐ UBND"): maybe a number.
    number_runs: list[tuple[str, ...]] = field(default_factory=list)
    # Every word outside quotes and full numbers, in the order typed (repeats kept).
    sequence: list[str] = field(default_factory=list)
    # Words scored but not required (question cues such as "như thế nào"), set by features.
    optional: set[str] = field(default_factory=set)
    # The typed text was cut to MAX_QUERY_CHARS, or its words to MAX_WORDS.
    truncated: bool = False

    @property
    def empty(self) -> bool:
        """Return True when there is nothing to search for."""
        return not (self.words or self.phrases or self.numbers)

    def highlight_words(self) -> set[str]:
        """Return every word a snippet should mark."""
        marked = set(self.words)
        for group in (*self.phrases, *self.numbers):
            marked.update(group)
        return marked


def _cap(text: str) -> tuple[str, bool]:
    """Cut text to MAX_QUERY_CHARS, at a space when one is near the end."""
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ", MAX_QUERY_CHARS - 50)
    return (cut[:space] if space > 0 else cut), True


def _split_quotes(text: str) -> tuple[list[str], list[str]]:
    """Return (stretches outside quotes, quoted stretches); an unpaired quote is ignored."""
    parts = _QUOTES_RE.split(text)
    if len(parts) % 2 == 0:
        # An odd number of quotes: the last one opens nothing.
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    return parts[0::2], parts[1::2]


def _number_hints(words: list[str]) -> list[tuple[str, str | None]]:
    """Find "quyết định 1610", "qd số 1610" and a query of digits alone."""
    folded = [fold_word(w) for w in words]
    hints: list[tuple[str, str | None]] = []
    for i, word in enumerate(folded):
        if not _DIGITS_RE.fullmatch(word):
            continue
        j = i - 1
        if j >= 0 and folded[j] == _NUMBER_WORD:
            j -= 1
        abbreviation = None
        if j >= 0 and folded[j] in _ABBREVIATIONS:
            abbreviation = folded[j]
        elif j >= 1:
            abbreviation = _TYPE_ABBREVIATIONS.get((folded[j - 1], folded[j]))
        if abbreviation:
            hints.append((word, abbreviation))
    if not hints and folded and all(_DIGITS_RE.fullmatch(w) for w in folded):
        hints = [(w, None) for w in folded]
    return hints[:MAX_NUMBERS]


def plan_query(raw: str | None) -> QueryPlan:
    """Return the plan for a typed query; never raises on any string."""
    text, truncated = _cap(normalize_text(raw or "").strip())
    plan = QueryPlan(text=text, truncated=truncated)
    outside, quoted = _split_quotes(text)
    for stretch in quoted:
        words = query_words(stretch)[:MAX_PHRASE_WORDS]
        if words and len(plan.phrases) < MAX_PHRASES and tuple(words) not in plan.phrases:
            plan.phrases.append(tuple(words))
    sequence: list[str] = []
    for stretch in outside:
        pieces: list[str] = []
        start = 0
        for match in NUMBER_RE.finditer(stretch):
            # Dates such as 15/11/2025 stay ordinary words.
            if any(ch.isalpha() for ch in match.group()) and len(plan.numbers) < MAX_NUMBERS:
                number = tuple(query_words(match.group()))
                if number not in plan.numbers:
                    plan.numbers.append(number)
                pieces.append(stretch[start : match.start()])
                start = match.end()
        pieces.append(stretch[start:])
        for piece in pieces:
            words = query_words(piece)
            plan.adjacent.extend(zip(words, words[1:], strict=False))
            sequence.extend(words)
            for i, word in enumerate(words):
                run = tuple(words[i : i + _MAX_RUN])
                if (
                    _DIGITS_RE.fullmatch(word)
                    and len(run) > 1
                    and len(plan.number_runs) < MAX_NUMBERS
                ):
                    plan.number_runs.append(run)
    plan.number_hints = _number_hints(sequence)
    plan.sequence = sequence[: MAX_WORDS * 4]
    distinct = list(dict.fromkeys(sequence))
    plan.truncated = plan.truncated or len(distinct) > MAX_WORDS
    plan.words = distinct[:MAX_WORDS]
    plan.adjacent = list(dict.fromkeys(plan.adjacent))[: MAX_WORDS - 1]
    return plan
