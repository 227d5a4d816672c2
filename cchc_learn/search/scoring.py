"""Rank documents for a query plan, one term at a time.

Whoosh's own matcher trees cost tens of microseconds per posting on long Vietnamese queries
(a 19-word question took a second on 5,000 documents), so postings are read once into
arrays and BM25 is summed into a score per document here. Words are OR-ed with a
coordination factor (documents holding more of the words rank higher), pairs of adjacent
words add a proximity bonus, and short queries require every word, falling back to any.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from math import ceil
from typing import TypeVar

from cchc_learn.search.analysis import fold_word, word_pair
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.schema import NUMBER_FIELD, PAIRS_FIELD, PLAIN_FIELD, WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot


@dataclass(frozen=True)
class Weights:
    """Tunable ranking parameters (tuned on benchmarks/search_relevance.py)."""

    boosts: dict[str, float] = field(
        default_factory=lambda: {"number": 3.0, "title": 1.0, "summary": 0.7, "body": 1.0}
    )
    b: dict[str, float] = field(
        default_factory=lambda: {"number": 0.3, "title": 0.5, "summary": 0.75, "body": 0.75}
    )
    k1: float = 1.2
    plain: float = 0.3
    pairs: float = 3.0
    pairs_b: float = 0.75
    phrase: float = 2.0
    coordination: float = 1.0
    # Up to this many words, every word is required (then any word, if that finds nothing);
    # longer queries require this share of their words.
    all_words_up_to: int = 4
    min_share: float = 0.5
    # In a longer query, words (and pairs) found in more than this share of the documents
    # are left out: they barely change the ranking and cost the most to score.
    common_share: float = 0.7
    number_bonus: float = 1000.0
    hint_bonus: float = 500.0


DEFAULT_WEIGHTS = Weights()
T = TypeVar("T")


class _Accumulator:
    """Scores per document number, plus how many distinct query words each one holds."""

    def __init__(self, snapshot: IndexSnapshot, weights: Weights):
        size = snapshot.doc_count_all
        self.snapshot = snapshot
        self.weights = weights
        self.words = [0.0] * size
        self.extra = [0.0] * size
        self.count = [0] * size
        self.seen = [-1] * size

    def add(
        self,
        fieldname: str,
        term: str,
        boost: float,
        b: float,
        target: list[float],
        word: int | None = None,
        only: Collection[int] | None = None,
    ) -> None:
        """Add the BM25 score of one term in one field.

        word: count the term as query word number `word` in each document holding it.
        only: the documents that can still match; when they are few, they are looked up in
        the postings instead of walking all of them.
        """
        ids, freqs = self.snapshot.postings(fieldname, term)
        if not ids:
            return
        k1 = self.weights.k1
        norms = self.snapshot.norms(fieldname, k1, b)
        factor = boost * self.snapshot.idf(len(ids)) * (k1 + 1.0)
        if only is not None and word is None and len(only) * 8 < len(ids):
            for doc in only:
                at = bisect_left(ids, doc)
                if at < len(ids) and ids[at] == doc:
                    freq = freqs[at]
                    target[doc] += factor * freq / (freq + norms[doc])
            return
        if word is None:
            for doc, freq in zip(ids, freqs, strict=True):
                target[doc] += factor * freq / (freq + norms[doc])
            return
        seen, count = self.seen, self.count
        for doc, freq in zip(ids, freqs, strict=True):
            target[doc] += factor * freq / (freq + norms[doc])
            if seen[doc] != word:
                seen[doc] = word
                count[doc] += 1


def phrase_docs(snapshot: IndexSnapshot, words: tuple[str, ...]) -> set[int]:
    """Return documents holding the words in this order (accents as typed)."""
    if len(words) == 1:
        return snapshot.union_fields(WORD_FIELDS, words[0])
    adjacent = zip(words, words[1:], strict=False)
    pairs = sorted((snapshot.doc_set(PAIRS_FIELD, word_pair(a, b)) for a, b in adjacent), key=len)
    found = set(pairs[0]).intersection(*pairs[1:])
    for word in words:
        # Pairs are folded: an accented word must also be present exactly as typed.
        if found and fold_word(word) != word:
            holders = [snapshot.doc_set(name, word) for name in WORD_FIELDS]
            found = {doc for doc in found if any(doc in docs for docs in holders)}
    return found


def number_docs(snapshot: IndexSnapshot, words: tuple[str, ...]) -> set[int]:
    """Return documents whose number holds all these words, each next to the one before.

    Adjacency is read from the pairs field, which also holds the other texts; a number whose
    words are scattered but stand side by side elsewhere in the document is not a real case.
    """
    if not words:
        return set()
    sets = [snapshot.doc_set(NUMBER_FIELD, word) for word in words]
    sets += [
        snapshot.doc_set(PAIRS_FIELD, word_pair(a, b))
        for a, b in zip(words, words[1:], strict=False)
    ]
    sets.sort(key=len)
    return set(sets[0]).intersection(*sets[1:])


def rank(
    snapshot: IndexSnapshot, plan: QueryPlan, weights: Weights = DEFAULT_WEIGHTS
) -> dict[int, float]:
    """Return the score of every document matching the plan (before filters)."""
    acc = _Accumulator(snapshot, weights)
    words = _useful(snapshot, plan.words, weights, lambda w: [(f, w) for f in WORD_FIELDS])
    adjacent = _useful(
        snapshot, plan.adjacent, weights, lambda pair: [(PAIRS_FIELD, word_pair(*pair))]
    )
    for index, word in enumerate(words):
        for fieldname in WORD_FIELDS:
            boost, b = weights.boosts[fieldname], weights.b[fieldname]
            acc.add(fieldname, word, boost, b, acc.words, word=index)
        if fold_word(word) == word:
            acc.add(PLAIN_FIELD, word, weights.plain, weights.pairs_b, acc.words)
    for first, second in adjacent:
        acc.add(PAIRS_FIELD, word_pair(first, second), weights.pairs, weights.pairs_b, acc.words)

    required: set[int] | None = None
    for phrase in plan.phrases:
        docs = phrase_docs(snapshot, phrase)
        required = docs if required is None else required & docs
        _score_phrase(acc, phrase, weights.phrase, docs)
    for number in plan.numbers:
        exact = number_docs(snapshot, number)
        docs = exact | phrase_docs(snapshot, number)
        required = docs if required is None else required & docs
        _score_phrase(acc, number, weights.phrase, docs)
        for doc in exact:
            acc.extra[doc] += weights.number_bonus

    for run in plan.number_runs:
        # The longest start of the run that is a number gets the bonus: "4599 qđ ubnd về".
        for size in range(len(run), 1, -1):
            exact = number_docs(snapshot, run[:size])
            if exact:
                for doc in exact:
                    acc.extra[doc] += weights.hint_bonus
                break

    candidates = _candidates(acc, len(words), weights, required)
    for digits, abbreviation in plan.number_hints:
        hinted = snapshot.doc_set(NUMBER_FIELD, digits)
        bonus = weights.hint_bonus
        if abbreviation:
            hinted = hinted & snapshot.doc_set(NUMBER_FIELD, abbreviation)
        else:
            bonus /= 2
        for doc in hinted:
            acc.extra[doc] += bonus

    total_words = len(words)
    power = weights.coordination
    scores, extra, count = acc.words, acc.extra, acc.count
    if not total_words:
        return {doc: extra[doc] for doc in candidates}
    return {
        doc: scores[doc] * (count[doc] / total_words) ** power + extra[doc] for doc in candidates
    }


def _useful(
    snapshot: IndexSnapshot,
    items: list[T],
    weights: Weights,
    terms: Callable[[T], list[tuple[str, str]]],
) -> list[T]:
    """Return the items of a long query without the very common ones (the rarest stay)."""
    if len(items) <= weights.all_words_up_to:
        return items
    limit = weights.common_share * snapshot.doc_count
    frequency = {
        i: max(snapshot.reader.doc_frequency(f, t) for f, t in terms(item))
        for i, item in enumerate(items)
    }
    rarest = set(sorted(frequency, key=frequency.get)[: weights.all_words_up_to])
    return [item for i, item in enumerate(items) if i in rarest or frequency[i] <= limit]


def _score_phrase(
    acc: _Accumulator, words: tuple[str, ...], boost: float, docs: Collection[int]
) -> None:
    """Add the scores of a phrase's pairs (or of its one word) for the documents holding it."""
    weights = acc.weights
    if len(words) == 1:
        for fieldname in WORD_FIELDS:
            field_boost, b = boost * weights.boosts[fieldname], weights.b[fieldname]
            acc.add(fieldname, words[0], field_boost, b, acc.extra, only=docs)
        return
    for first, second in zip(words, words[1:], strict=False):
        pair = word_pair(first, second)
        acc.add(PAIRS_FIELD, pair, boost, weights.pairs_b, acc.extra, only=docs)


def _candidates(
    acc: _Accumulator, total: int, weights: Weights, required: set[int] | None
) -> list[int]:
    """Return the documents that match: enough of the total words, every phrase and number."""
    if not total:
        return sorted(required or ())
    count = acc.count
    if total <= weights.all_words_up_to:
        need = total
    else:
        need = max(1, ceil(total * weights.min_share))
    pool = range(len(count)) if required is None else sorted(required)
    found = [doc for doc in pool if count[doc] >= need]
    if not found and need > 1:
        found = [doc for doc in pool if count[doc]]
    return found
