"""No kind of result crowds out another: documents, lessons and questions share the top.

Decided on the scores of the documents that will be shown (after filters and visibility):
1. Documents the query names (an exact reference or number) stay first: they have a bonus
   no other rule overrides.
2. A how-to question (a cue from the dictionary such as "làm thế nào", "như thế nào") that
   names no document puts the best lesson first, when it scores at least HOW_TO_SHARE of the
   first result.
3. The best result of every other kind that scores at least KIND_SHARE of the first result
   (without bonus) is moved up to position KIND_SLOT when it is lower: one lesson is not
   pushed to the second page by a hundred decisions that repeat the same words.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

from cchc_learn.search.expansion import Additions, QueryFeature
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.snapshot import IndexSnapshot

HOW_TO_SHARE = 0.5
KIND_SHARE = 0.5
KIND_SLOT = 3
LESSON = "lesson"
_STEP = 1e-6


def _kinds(snapshot: IndexSnapshot) -> list[tuple[str, frozenset[int]]]:
    """Return each kind with its documents (cached with the snapshot)."""
    cached = snapshot.extras.get("kinds")
    if cached is None:
        cached = [
            (kind, snapshot.doc_set("kind", kind)) for kind in snapshot.reader.field_terms("kind")
        ]
        snapshot.extras["kinds"] = cached
    return cached  # type: ignore[return-value]


def _best(docs: Collection[int], among: Collection[int], scores: dict[int, float]) -> int | None:
    """Return the best-scoring document in both collections."""
    small, large = (docs, among) if len(docs) <= len(among) else (among, docs)
    held = [doc for doc in small if doc in large]
    return min(held, key=lambda doc: (-scores[doc], doc)) if held else None


def _place(order: list[int], doc: int, at: int, scores: dict[int, float]) -> None:
    """Move doc to position `at` of order, and change scores so that they rank it there.

    Documents above it keep their order; ties are broken by raising them by a hair.
    """
    if doc in order:
        order.remove(doc)
    order.insert(at, doc)
    if at + 1 < len(order):
        scores[doc] = scores[order[at + 1]] + _STEP
    for j in range(at - 1, -1, -1):
        if scores[order[j]] <= scores[order[j + 1]]:
            scores[order[j]] = scores[order[j + 1]] + _STEP


def reorder(
    snapshot: IndexSnapshot,
    plan: QueryPlan,
    additions: Additions,
    scores: dict[int, float],
    matching: Collection[int],
) -> None:
    """Move the best lesson first for a how-to question; give every kind a place in the top."""
    kinds = _kinds(snapshot)
    if len(kinds) < 2:
        return
    order = heapq.nsmallest(KIND_SLOT + len(kinds) + 1, matching, key=lambda d: (-scores[d], d))
    first = sum(1 for doc in order if doc in additions.named)
    if first >= len(order):
        return
    plain = [doc for doc in order[first:] if doc not in additions.bonuses]
    top = scores[plain[0]] if plain else scores[order[first]]
    if additions.how_to and not first:
        lesson = _best(dict(kinds).get(LESSON, frozenset()), matching, scores)
        if lesson is not None and lesson != order[0] and scores[lesson] >= HOW_TO_SHARE * top:
            _place(order, lesson, 0, scores)
    end = first + KIND_SLOT
    for _, docs in kinds:
        if any(doc in docs for doc in order[:end]):
            continue
        best = _best(docs, matching, scores)
        if best is not None and scores[best] >= KIND_SHARE * top and len(order) >= end:
            _place(order, best, end - 1, scores)


FEATURE = QueryFeature("kinds", reorder=reorder)
