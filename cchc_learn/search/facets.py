"""Filters and facet counts over kind, type, issuer, year and topic."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from cchc_learn.search.documents import clean_values
from cchc_learn.search.schema import AUDIENCE_FIELD, FACET_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot

MAX_FACET_VALUES = 50
MAX_FILTER_VALUES = 20


def clean_filters(
    filters: Mapping[str, Iterable[str]] | None, kinds: Iterable[str] | None
) -> dict[str, list[str]]:
    """Return the known facet filters, values NFC and trimmed; unknown names are ignored."""
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name not in FACET_FIELDS or values is None:
            continue
        if isinstance(values, str):
            values = [values]
        # Cleaned as the indexed values were, so that what a facet offered matches again.
        chosen = clean_values(list(values)[:MAX_FILTER_VALUES])
        if chosen:
            cleaned[name] = chosen
    if kinds:
        chosen = [k for k in kinds if k]
        if "kind" in cleaned:
            # Both given: only kinds in both can match (possibly none).
            chosen = [k for k in chosen if k in cleaned["kind"]]
        cleaned["kind"] = chosen
    return cleaned


def allowed_by(snapshot: IndexSnapshot, filters: Mapping[str, list[str]]) -> dict[str, set[int]]:
    """Return, for each filtered facet, the documents holding one of its chosen values."""
    return {name: snapshot.union(name, values) for name, values in filters.items()}


def visible_docs(snapshot: IndexSnapshot, visible_to: Collection[str] | None) -> set[int] | None:
    """Return the documents sharing an audience token with the searcher (None: no limit)."""
    if visible_to is None:
        return None
    return snapshot.union(AUDIENCE_FIELD, visible_to)


def _values(snapshot: IndexSnapshot, fieldname: str) -> list[tuple[str, frozenset[int]]]:
    """Return every value of a facet with its documents (cached with the snapshot)."""
    key = "facet:" + fieldname
    cached = snapshot.extras.get(key)
    if cached is None:
        cached = [
            (value, snapshot.doc_set(fieldname, value))
            for value in snapshot.reader.field_terms(fieldname)
        ]
        snapshot.extras[key] = cached
    return cached  # type: ignore[return-value]


def count(
    snapshot: IndexSnapshot, base: set[int], allowed: Mapping[str, set[int]]
) -> dict[str, list[tuple[str, int]]]:
    """Count each facet's values over base restricted by every other facet's filter."""
    counts: dict[str, list[tuple[str, int]]] = {}
    for fieldname in FACET_FIELDS:
        docs = base
        for other, allowed_docs in allowed.items():
            if other != fieldname:
                docs = docs & allowed_docs
        pairs = [(value, len(holders & docs)) for value, holders in _values(snapshot, fieldname)]
        pairs = [(value, n) for value, n in pairs if n]
        if fieldname == "year":
            pairs.sort(key=lambda pair: pair[0], reverse=True)
        else:
            pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        counts[fieldname] = pairs[:MAX_FACET_VALUES]
    return counts
