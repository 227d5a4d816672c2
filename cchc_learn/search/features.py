"""The query features every search runs, in order (see expansion.py for what each may do)."""

from __future__ import annotations

from cchc_learn.search import dictionary, kinds, references, repair, spelling
from cchc_learn.search.expansion import QueryFeature

# Repair first (a repaired query is planned again), then what reads the final words.
DEFAULT_FEATURES: tuple[QueryFeature, ...] = (
    repair.FEATURE,
    references.FEATURE,
    dictionary.FEATURE,
    spelling.FEATURE,
    kinds.FEATURE,
)
