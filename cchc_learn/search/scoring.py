"""Rank documents for a query plan, one term at a time.

Whoosh's own matcher trees cost tens of microseconds per posting on long Vietnamese queries
(a 19-word question took a second on 5,000 documents), so postings are read once into
arrays and BM25 is summed into a score per document here. Words are OR-ed with a
coordination factor (documents holding more of the words rank higher), pairs of adjacent
words add a proximity bonus, and short queries require every word, falling back to any.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from math import ceil
from typing import TypeVar

from cchc_learn.search.alternatives import score_alternatives
from cchc_learn.search.analysis import fold_word, word_pair
from cchc_learn.search.expansion import Additions
from cchc_learn.search.matching import Accumulator, number_docs, phrase_docs
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.schema import NUMBER_FIELD, PAIRS_FIELD, PLAIN_FIELD, WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot
from cchc_learn.search.weights import DEFAULT_WEIGHTS, Weights

__all__ = ["DEFAULT_WEIGHTS", "Weights", "number_docs", "phrase_docs", "rank"]


T = TypeVar("T")


def rank(
    snapshot: IndexSnapshot,
    plan: QueryPlan,
    weights: Weights = DEFAULT_WEIGHTS,
    additions: Additions | None = None,
) -> dict[int, float]:
    """Return the score of every document matching the plan (before filters).

    additions (from the query features): alternatives count as the words they stand for,
    and documents with a bonus match whatever words they hold.
    """
    acc = Accumulator(snapshot, weights)
    counted = [word for word in plan.words if word not in plan.optional] or plan.words
    words = _useful(snapshot, counted, weights, lambda w: [(f, w) for f in WORD_FIELDS])
    adjacent = _useful(
        snapshot, plan.adjacent, weights, lambda pair: [(PAIRS_FIELD, word_pair(*pair))]
    )
    for index, word in enumerate(words):
        for fieldname in WORD_FIELDS:
            boost, b = weights.boosts[fieldname], weights.b[fieldname]
            acc.add(fieldname, word, boost, b, acc.words, word=index)
        if fold_word(word) == word:
            acc.add(PLAIN_FIELD, word, weights.plain, weights.pairs_b, acc.words)
    for word in plan.words:
        # Words that only say what kind of answer is wanted ("như thế nào") score, uncounted.
        if word not in counted:
            for fieldname in WORD_FIELDS:
                boost, b = weights.boosts[fieldname], weights.b[fieldname]
                acc.add(fieldname, word, boost, b, acc.words)
    for first, second in adjacent:
        acc.add(PAIRS_FIELD, word_pair(first, second), weights.pairs, weights.pairs_b, acc.words)
    if additions is not None and additions.alternatives:
        score_alternatives(acc, words, adjacent, additions.alternatives)

    required: set[int] | None = None
    for phrase in plan.phrases:
        docs = phrase_docs(snapshot, phrase)
        required = docs if required is None else required & docs
        _score_phrase(acc, phrase, weights.phrase, docs)
    for number in plan.numbers:
        known = additions.numbers.get(number) if additions is not None else None
        exact = known if known is not None else number_docs(snapshot, number)
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

    # With the query features, a long query keeps requiring only its share of words however
    # few of them are rare enough to be kept.
    typed = len(counted) if additions is not None else 0
    candidates = _candidates(acc, len(words), weights, required, typed=typed)
    if additions is not None and additions.bonuses:
        listed = set(candidates)
        for doc, bonus in additions.bonuses.items():
            if required is None or doc in required:
                acc.extra[doc] += bonus
                if doc not in listed:
                    candidates.append(doc)
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
    acc: Accumulator, words: tuple[str, ...], boost: float, docs: Collection[int]
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
    acc: Accumulator, total: int, weights: Weights, required: set[int] | None, typed: int = 0
) -> list[int]:
    """Return the documents that match: enough of the total words, every phrase and number.

    typed: how many words the query had before common ones were left out; a long query
    requires its share of the words kept, however few were kept.
    """
    if not total:
        return sorted(required or ())
    count = acc.count
    if max(total, typed) <= weights.all_words_up_to:
        need = total
    else:
        need = max(1, ceil(total * weights.min_share))
    pool = range(len(count)) if required is None else sorted(required)
    found = [doc for doc in pool if count[doc] >= need]
    if not found and need > 1:
        found = [doc for doc in pool if count[doc]]
    return found
