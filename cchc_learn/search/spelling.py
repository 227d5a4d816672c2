"""Tolerance for small typing errors, on the words that need it only.

A query word gets one alternative (scored below a literal match) when the index does not hold
it, or holds it in at most RARE_DOCS documents while the alternative is far more common:
- a wrong or missing tone or mark, "d" for "đ" and back (an accented word): the accented
  spelling of the same letters nearest to it, the most common first;
- one letter wrong, missing, extra or doubled, two letters swapped (a word typed without
  diacritics): a known word within one edit (two for long words), preferring one that stands
  next to a neighbouring query word somewhere in the index;
- two words run together ("motcua"): the split whose two halves stand side by side most often,
  when they do so far more often than the word typed occurs.
Common words are never expanded, so a syllable found everywhere does not flood the results.
"""

from __future__ import annotations

import unicodedata

from cchc_learn.search.analysis import fold_word, word_pair
from cchc_learn.search.expansion import SPELLING, Additions, Alternative, QueryFeature
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.schema import PAIRS_FIELD, WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot
from cchc_learn.search.suggest import distance, vocabulary

RARE_DOCS = 2
# A rare word is replaced only by a word at least this many times more common.
MORE_COMMON = 20
MIN_LETTERS = 4
MAX_LETTERS = 24
_DELETION_CANDIDATES = 200


def _frequency(snapshot: IndexSnapshot, word: str) -> int:
    return max(snapshot.reader.doc_frequency(name, word) for name in WORD_FIELDS)


def _marks(word: str) -> list[tuple[str, str]]:
    """Return (base letter, its marks) for each letter; đ is d with a mark."""
    letters: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and letters:
            base, marks = letters[-1]
            letters[-1] = (base, marks + ch)
        elif ch == "đ":
            letters.append(("d", "-"))
        else:
            letters.append((ch, ""))
    return letters


def _mark_distance(a: str, b: str) -> int:
    """Return on how many letters two spellings of the same letters differ in their marks."""
    return sum(x != y for x, y in zip(_marks(a), _marks(b), strict=False))


def _neighbours(plan: QueryPlan, word: str) -> list[str]:
    """Return the folded words typed next to a word."""
    found = []
    for first, second in plan.adjacent:
        if first == word:
            found.append(fold_word(second))
        elif second == word:
            found.append(fold_word(first))
    return found


def _in_context(snapshot: IndexSnapshot, folded: str, neighbours: list[str]) -> int:
    """Return how many documents hold the word next to one of its query neighbours."""
    return sum(
        snapshot.reader.doc_frequency(PAIRS_FIELD, pair)
        for other in neighbours
        for pair in (f"{other} {folded}", f"{folded} {other}")
    )


def _accent_fix(snapshot: IndexSnapshot, word: str, known: int) -> str | None:
    """Return the accented spelling of the same letters nearest to a rare accented word."""
    vocab = vocabulary(snapshot)
    folded = fold_word(word)
    counts: dict[str, int] = {}
    for count, term in vocab.variants.get(folded, ()):
        counts[term] = max(counts.get(term, 0), count)
    # The bare letters would match every spelling at once: not one correction but a flood.
    counts.pop(folded, None)
    counts.pop(word, None)
    options = [
        (_mark_distance(word, term), -count, term)
        for term, count in counts.items()
        if count >= max(1, known * MORE_COMMON)
    ]
    return min(options)[2] if options else None


def _letter_fix(
    snapshot: IndexSnapshot, folded: str, known: int, neighbours: list[str]
) -> str | None:
    """Return a common word within one edit (two for long words) of a rare unaccented word."""
    vocab = vocabulary(snapshot)
    reach = 1 if len(folded) < 7 else 2
    candidates: set[str] = set()
    for variant in {folded} | {folded[:i] + folded[i + 1 :] for i in range(len(folded))}:
        candidates |= vocab.deletions.get(variant, set())
        if len(candidates) > _DELETION_CANDIDATES:
            break
    # A word the index holds is replaced only where its neighbours say it is wrong.
    if known and (not neighbours or _in_context(snapshot, folded, neighbours)):
        return None
    options = []
    for candidate in candidates:
        if candidate == folded or vocab.docs[candidate] < max(1, known * MORE_COMMON):
            continue
        edits = distance(folded, candidate)
        if edits <= reach:
            context = _in_context(snapshot, candidate, neighbours)
            if known and not context:
                continue
            options.append((-min(context, 1), edits, -vocab.docs[candidate], candidate))
    return min(options)[3] if options else None


def _split(snapshot: IndexSnapshot, folded: str, known: int) -> tuple[str, str] | None:
    """Return the two words a run-together word stands for far more often, or None."""
    vocab = vocabulary(snapshot)
    best: tuple[int, tuple[str, str]] | None = None
    for i in range(2, len(folded) - 1):
        first, second = folded[:i], folded[i:]
        if first in vocab.docs and second in vocab.docs:
            together = snapshot.reader.doc_frequency(PAIRS_FIELD, word_pair(first, second))
            if together >= max(1, known * MORE_COMMON) and (best is None or together > best[0]):
                best = (together, (first, second))
    return best[1] if best else None


def expand(snapshot: IndexSnapshot, plan: QueryPlan, additions: Additions) -> None:
    """Add one alternative for each rare word of the query that a small error explains."""
    covered = {w for alternative in additions.alternatives for w in alternative.covers}
    for word in plan.words:
        folded = fold_word(word)
        if word in covered or not folded.isalpha() or not folded.isascii():
            continue
        if len(folded) > MAX_LETTERS:
            continue
        known = _frequency(snapshot, word)
        fixed: str | None = None
        if known <= RARE_DOCS and folded != word:
            fixed = _accent_fix(snapshot, word, known)
        if fixed is None and known <= RARE_DOCS and len(folded) >= MIN_LETTERS:
            fixed = _letter_fix(snapshot, folded, known, _neighbours(plan, word))
            if fixed is not None and folded != word:
                # Typed with diacritics: look for the correction's usual spelling.
                fixed = vocabulary(snapshot).spelling.get(fixed, (0, fixed))[1]
        if fixed is not None:
            additions.add_alternative(Alternative((word,), (fixed,), SPELLING))
            continue
        if len(folded) > MIN_LETTERS and known * MORE_COMMON < snapshot.doc_count:
            halves = _split(snapshot, folded, known)
            if halves is not None:
                additions.add_alternative(Alternative((word,), halves, SPELLING))


FEATURE = QueryFeature("spelling", expand=expand)
