"""Which documents hold a phrase or a number, and the scores summed for each document."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from typing import TYPE_CHECKING

from cchc_learn.search.analysis import fold_word, word_pair
from cchc_learn.search.schema import NUMBER_FIELD, PAIRS_FIELD, WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot, Postings

if TYPE_CHECKING:
    from cchc_learn.search.weights import Weights


class Accumulator:
    """Scores per document number, plus which query words (a bit each) every one holds."""

    def __init__(self, snapshot: IndexSnapshot, weights: Weights):
        size = snapshot.doc_count_all
        self.snapshot = snapshot
        self.weights = weights
        self.words = [0.0] * size
        self.extra = [0.0] * size
        self.count = [0] * size
        self.mask = [0] * size

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
        bit = 1 << word
        mask, count = self.mask, self.count
        for doc, freq in zip(ids, freqs, strict=True):
            target[doc] += factor * freq / (freq + norms[doc])
            if not mask[doc] & bit:
                mask[doc] |= bit
                count[doc] += 1

    def gather(
        self,
        fieldname: str,
        term: str,
        boost: float,
        b: float,
        into: dict[int, float],
        only: Collection[int] | None = None,
        postings: Postings | None = None,
    ) -> None:
        """Add the BM25 score of one term to `into` (only for `only`, when given).

        postings: the term's postings when the caller has read them already.
        """
        ids, freqs = postings or self.snapshot.postings(fieldname, term)
        if not ids:
            return
        k1 = self.weights.k1
        norms = self.snapshot.norms(fieldname, k1, b)
        factor = boost * self.snapshot.idf(len(ids)) * (k1 + 1.0)
        if only is not None and len(only) * 8 < len(ids):
            for doc in only:
                at = bisect_left(ids, doc)
                if at < len(ids) and ids[at] == doc:
                    freq = freqs[at]
                    into[doc] = into.get(doc, 0.0) + factor * freq / (freq + norms[doc])
            return
        for doc, freq in zip(ids, freqs, strict=True):
            if only is None or doc in only:
                into[doc] = into.get(doc, 0.0) + factor * freq / (freq + norms[doc])

    def mark(self, doc: int, bits: int) -> None:
        """Count the query words of `bits` as found in a document."""
        before = self.mask[doc]
        after = before | bits
        if after != before:
            self.mask[doc] = after
            self.count[doc] += after.bit_count() - before.bit_count()


def holding_all(postings: list[Postings]) -> set[int]:
    """Return the documents found in every one of these postings."""
    if not postings:
        return set()
    ordered = sorted(postings, key=lambda p: len(p[0]))
    found = set(ordered[0][0])
    for ids, _ in ordered[1:]:
        found.intersection_update(ids)
        if not found:
            break
    return found


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
