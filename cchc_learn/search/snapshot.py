"""One open searcher and the data derived from it, reused until the index changes."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from math import log
from pathlib import Path

from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from cchc_learn.search.schema import PAIRS_FIELD, PLAIN_FIELD, WORD_FIELDS

Postings = tuple[array, array]
_EMPTY: Postings = (array("I"), array("f"))
# Pairs and plain words share the length of all word fields together.
_COMBINED = "*"
_LENGTH_SOURCE = {PAIRS_FIELD: _COMBINED, PLAIN_FIELD: _COMBINED}


class IndexSnapshot:
    """A searcher on one state of the index, with caches that live exactly as long.

    Whoosh's Searcher.refresh() returns duplicate documents after a merge, so a changed index
    gets a new snapshot instead of a refreshed one.
    """

    def __init__(self, ix: Index, directory: Path, posting_budget: int = 1_000_000):
        self.directory = directory
        self.index = ix
        self.searcher: Searcher = ix.searcher()
        self.reader = self.searcher.reader()
        self.doc_count_all = self.reader.doc_count_all()
        self.doc_count = self.reader.doc_count()
        self._lock = threading.Lock()
        self._postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._posting_budget = posting_budget
        self._cached_postings = 0
        self._lengths: dict[str, list[float]] = {}
        self._average: dict[str, float] = {}
        self._norms: dict[tuple[str, float, float], list[float]] = {}
        self._term_sets: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._cached_members = 0
        self.extras: dict[str, object] = {}

    def up_to_date(self) -> bool:
        """Return True while no writer has committed since the snapshot was taken."""
        return self.searcher.up_to_date()

    def close(self) -> None:
        """Release the searcher's files."""
        self.searcher.close()

    def postings(self, fieldname: str, term: str) -> Postings:
        """Return (docnums, frequencies) of a term, decoded once and kept within a budget."""
        key = (fieldname, term)
        with self._lock:
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached
        matcher = self._matcher(fieldname, term)
        if matcher is None:
            return _EMPTY
        ids = array("I")
        weights = array("f")
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        with self._lock:
            self._postings[key] = (ids, weights)
            self._cached_postings += len(ids)
            while self._cached_postings > self._posting_budget and len(self._postings) > 1:
                _, (old, _) = self._postings.popitem(last=False)
                self._cached_postings -= len(old)
        return ids, weights

    def _matcher(self, fieldname: str, term: str) -> Matcher | None:
        """Return the postings matcher of a term, or None when the index lacks it."""
        try:
            return self.reader.postings(fieldname, term)
        except TermNotFound:
            return None

    def doc_set(self, fieldname: str, term: str) -> frozenset[int]:
        """Return the set of live documents holding a term (for filters and facets)."""
        key = (fieldname, term)
        with self._lock:
            cached = self._term_sets.get(key)
            if cached is not None:
                self._term_sets.move_to_end(key)
                return cached
        found = frozenset(self.postings(fieldname, term)[0])
        with self._lock:
            self._term_sets[key] = found
            self._cached_members += len(found)
            # A set member costs about 80 bytes, ten times a decoded posting.
            budget = self._posting_budget // 4
            while self._cached_members > budget and len(self._term_sets) > 1:
                _, old = self._term_sets.popitem(last=False)
                self._cached_members -= len(old)
        return found

    def union(self, fieldname: str, terms: Iterable[str]) -> set[int]:
        """Return the live documents holding any of the terms in one field."""
        found: set[int] = set()
        for term in terms:
            found |= self.doc_set(fieldname, term)
        return found

    def union_fields(self, fieldnames: Iterable[str], term: str) -> set[int]:
        """Return the live documents holding a term in any of the fields."""
        found: set[int] = set()
        for fieldname in fieldnames:
            found |= self.doc_set(fieldname, term)
        return found

    def idf(self, doc_frequency: int) -> float:
        """Return the BM25 inverse document frequency (never negative, unlike classic BM25)."""
        n = max(self.doc_count, doc_frequency)
        return log(1.0 + (n - doc_frequency + 0.5) / (doc_frequency + 0.5))

    def lengths(self, fieldname: str) -> tuple[list[float], float]:
        """Return each document's length in a word field (or all of them) and the average."""
        with self._lock:
            if fieldname in self._lengths:
                return self._lengths[fieldname], self._average[fieldname]
        if fieldname == _COMBINED:
            parts = [self.lengths(name)[0] for name in WORD_FIELDS]
            values = [float(sum(column)) for column in zip(*parts, strict=True)]
        else:
            length = self.reader.doc_field_length
            values = [float(length(d, fieldname, 0) or 0) for d in range(self.doc_count_all)]
        average = (sum(values) / self.doc_count) if self.doc_count else 1.0
        with self._lock:
            self._lengths[fieldname] = values
            self._average[fieldname] = average or 1.0
        return values, average or 1.0

    def norms(self, fieldname: str, k1: float, b: float) -> list[float]:
        """Return k1 * (1 - b + b * length / average) per document, the BM25 denominator."""
        key = (fieldname, k1, b)
        with self._lock:
            cached = self._norms.get(key)
        if cached is None:
            # Fields without lengths of their own borrow them from the words they came from.
            source = _LENGTH_SOURCE.get(fieldname, fieldname)
            lengths, average = self.lengths(source)
            cached = [k1 * (1.0 - b + b * length / average) for length in lengths]
            with self._lock:
                self._norms[key] = cached
        return cached
