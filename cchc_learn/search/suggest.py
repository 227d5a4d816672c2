""" "Did you mean": correct words the index does not hold, from its own vocabulary.

The vocabulary is the folded words of titles and bodies; a word is corrected to the folded
word within two edits that most documents hold, shown with the accents most documents use
("quyêt" and "quyet dinh" stay close to what was typed: "quyết", "quyết định").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc_learn.search.analysis import WORD_RE, canonical_word, fold_word
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.schema import WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot

_SOURCE_FIELDS = ("title", "body")
_WORDLIKE = re.compile(r"[a-z]{2,20}")
# Words seen in a single document are too often typing errors themselves.
_MIN_DOCS = 2


@dataclass
class _Vocabulary:
    """Folded word -> documents, its most used accented spelling, and a deletion index."""

    docs: dict[str, int] = field(default_factory=dict)
    spelling: dict[str, tuple[int, str]] = field(default_factory=dict)
    deletions: dict[str, set[str]] = field(default_factory=dict)
    # Every accented spelling of a folded word with its document count.
    variants: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def _deletes(word: str) -> set[str]:
    """Return the word with each single letter removed."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def vocabulary(snapshot: IndexSnapshot) -> _Vocabulary:
    """Build (once per snapshot) the vocabulary of folded words."""
    cached = snapshot.extras.get("vocabulary")
    if isinstance(cached, _Vocabulary):
        return cached
    vocab = _Vocabulary()
    for fieldname in _SOURCE_FIELDS:
        for raw, info in snapshot.reader.iter_field(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            count = info.doc_frequency()
            folded = fold_word(term)
            if not _WORDLIKE.fullmatch(folded):
                continue
            if folded == term:
                vocab.docs[folded] = max(vocab.docs.get(folded, 0), count)
            else:
                vocab.variants.setdefault(folded, []).append((count, term))
            best = vocab.spelling.get(folded)
            if best is None or count > best[0] or (count == best[0] and term != folded):
                vocab.spelling[folded] = (count, term)
    vocab.docs = {word: n for word, n in vocab.docs.items() if n >= _MIN_DOCS}
    for word in vocab.docs:
        for variant in _deletes(word) | {word}:
            vocab.deletions.setdefault(variant, set()).add(word)
    snapshot.extras["vocabulary"] = vocab
    return vocab


def distance(a: str, b: str) -> int:
    """Return the Damerau-Levenshtein distance (adjacent transpositions count once)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _correct(vocab: _Vocabulary, folded: str) -> str | None:
    """Return the best-known folded word within reach of a folded word, or None."""
    if folded in vocab.docs:
        return folded
    if len(folded) < 3:
        return None
    candidates: set[str] = set()
    for variant in _deletes(folded) | {folded}:
        candidates |= vocab.deletions.get(variant, set())
    best: tuple[int, int, str] | None = None
    for candidate in candidates:
        edits = distance(folded, candidate)
        if edits > (1 if len(folded) < 5 else 2):
            continue
        rank = (edits, -vocab.docs[candidate], candidate)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def suggest(snapshot: IndexSnapshot, plan: QueryPlan, *, few_hits: bool = True) -> str | None:
    """Return the query with unknown words corrected, or None when nothing changes.

    With few_hits, words found in fewer than two documents count as unknown too.
    """
    words = set(plan.words)
    for phrase in plan.phrases:
        words.update(phrase)
    limit = _MIN_DOCS if few_hits else 1
    unknown = {
        word
        for word in words
        if sum(snapshot.reader.doc_frequency(name, word) for name in WORD_FIELDS) < limit
    }
    if not unknown:
        return None
    vocab = vocabulary(snapshot)
    replacements: dict[str, str] = {}
    for word in unknown:
        corrected = _correct(vocab, fold_word(word))
        if corrected is None:
            continue
        # Keep the typist's habit: an unaccented word gets an unaccented correction.
        typed_unaccented = fold_word(word) == word
        spelled = (
            corrected if typed_unaccented else vocab.spelling.get(corrected, (0, corrected))[1]
        )
        if spelled != word:
            replacements[word] = spelled
    if not replacements:
        return None

    def replace(match: re.Match[str]) -> str:
        typed = match.group()
        fixed = replacements.get(canonical_word(typed))
        if fixed is None:
            return typed
        return fixed.capitalize() if typed[:1].isupper() else fixed

    return WORD_RE.sub(replace, plan.text)
