"""Alternatives (from the query features) scored as the query words they stand for."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from cchc_learn.search.analysis import word_pair
from cchc_learn.search.expansion import PARAPHRASE, SPELLING, SYNONYM, Alternative
from cchc_learn.search.matching import Accumulator, holding_all
from cchc_learn.search.schema import PAIRS_FIELD, WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot

if TYPE_CHECKING:
    from cchc_learn.search.weights import Weights


def reference_weight(
    snapshot: IndexSnapshot, words: Collection[str], pairs: Collection[str], weights: Weights
) -> float:
    """Return what a query's words and pairs weigh together (their idf, pairs weighted)."""
    reader = snapshot.reader
    total = sum(
        snapshot.idf(max(reader.doc_frequency(name, w) for name in WORD_FIELDS)) for w in words
    )
    total += sum(
        weights.pairs * snapshot.idf(reader.doc_frequency(PAIRS_FIELD, p)) for p in pairs
    )
    return total


def _pairs(words: tuple[str, ...]) -> list[str]:
    """Return the pair terms of a phrase."""
    return [word_pair(a, b) for a, b in zip(words, words[1:], strict=False)]


def score_alternatives(
    acc: Accumulator,
    words: list[str],
    adjacent: list[tuple[str, str]],
    alternatives: list[Alternative],
) -> None:
    """Count alternatives as the query words they cover, for documents lacking those words.

    A document holding the covered words as typed gets nothing more (no double count); of
    several alternatives for the same words, a document keeps the best one.
    """
    snapshot, weights = acc.snapshot, acc.weights
    index = {word: i for i, word in enumerate(words)}
    best: dict[int, dict[int, float]] = {}
    for alternative in alternatives:
        covered = [w for w in dict.fromkeys(alternative.covers) if w in index]
        bits = sum(1 << index[w] for w in covered)
        if not bits:
            continue
        gain: dict[int, float] = {}
        if len(alternative.words) == 1:
            term = alternative.words[0]
            for name in WORD_FIELDS:
                acc.gather(name, term, weights.boosts[name], weights.b[name], gain)
            own = reference_weight(snapshot, [term], [], weights)
            if alternative.source == SPELLING and len(covered) == 1:
                # Pairs with the neighbours of the word it corrects.
                for first, second in adjacent:
                    if covered[0] in (first, second):
                        pair = (term, second) if first == covered[0] else (first, term)
                        acc.gather(PAIRS_FIELD, word_pair(*pair), weights.pairs,
                                   weights.pairs_b, gain)
        else:
            # A dictionary phrase is matched by its pairs, without diacritics: its words are
            # specific enough together, and each pair is read once.
            pairs = _pairs(alternative.words)
            postings = [snapshot.postings(PAIRS_FIELD, pair) for pair in pairs]
            docs = holding_all(postings)
            if not docs:
                continue
            for pair, read in zip(pairs, postings, strict=True):
                acc.gather(PAIRS_FIELD, pair, weights.pairs, weights.pairs_b, gain, docs, read)
            own = reference_weight(snapshot, [], pairs, weights)
        if alternative.source != SPELLING:
            # What the covered words would earn as typed: those still counted, and the pairs
            # of them that are scored.
            covers = set(alternative.covers)
            covered_pairs = [word_pair(a, b) for a, b in adjacent if a in covers and b in covers]
            scale = reference_weight(snapshot, covered, covered_pairs, weights) / (own or 1.0)
            scale = weights.synonym * min(max(scale, 0.1), 10.0)
        else:
            scale = weights.spelling
        # A document holding the covered words as typed (side by side, when several) is a
        # literal match already; scattered words do not make one.
        if alternative.source == PARAPHRASE:
            holders: set[int] = set()
        elif len(alternative.covers) > 1:
            holders = holding_all(
                [snapshot.postings(PAIRS_FIELD, pair) for pair in _pairs(alternative.covers)]
            )
        else:
            holders = {doc for doc, mask in enumerate(acc.mask) if mask & bits}
        # A synonym ranks just below the best literal match: never above its share of it.
        ceiling = None
        if alternative.source == SYNONYM and holders:
            ceiling = weights.synonym * max(acc.words[doc] for doc in holders)
        group = best.setdefault(bits, {})
        for doc, value in gain.items():
            if doc in holders:
                continue
            value *= scale
            if ceiling is not None:
                value = min(value, max(0.0, ceiling - acc.words[doc]))
            if value > group.get(doc, 0.0):
                group[doc] = value
    for bits, group in best.items():
        for doc, value in group.items():
            acc.words[doc] += value
            acc.mark(doc, bits)
