"""What query features add to a literal search, and the order in which they run.

A query feature looks at the plan with the open snapshot and may:
- rewrite the typed text (keyboard leftovers repaired): the plan is made again from the new
  text, and the page offers the new text as "Có phải bạn muốn tìm";
- expand the plan: alternatives (other words that stand for some query words: an
  abbreviation's long form, a corrected spelling) and bonuses for documents the query names;
- reorder the scored documents (so that no kind of result crowds out another).

A SearchIndex made with features=() runs none of them: the search as it was before them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from cchc_learn.search.query import QueryPlan, plan_query
from cchc_learn.search.snapshot import IndexSnapshot

# Bounds that keep a hostile query (thousands of abbreviations) cheap.
MAX_ALTERNATIVES = 16
MAX_BONUSES = 2_000


SYNONYM = "synonym"
PARAPHRASE = "paraphrase"
SPELLING = "spelling"


@dataclass(frozen=True)
class Alternative:
    """Other words that stand for some query words.

    covers: the query words (canonical, as in plan.words) a match counts as found.
    words: one word, or a phrase that must occur in this order.
    source: SYNONYM (from the dictionary) is scored on the covered words' scale ("CCHC" earns
    what "cải cách hành chính" would, times Weights.synonym) and never above the best literal
    match; PARAPHRASE (a plain way of saying a term) is scored the same way without that
    ceiling; SPELLING (a corrected word) on its own scale, times Weights.spelling.
    """

    covers: tuple[str, ...]
    words: tuple[str, ...]
    source: str = SYNONYM


@dataclass
class Additions:
    """What the features found for one search."""

    alternatives: list[Alternative] = field(default_factory=list)
    # Documents a reference in the query points to, with their bonus; they always match.
    bonuses: dict[int, float] = field(default_factory=dict)
    # Documents the query names exactly (every part of a reference agrees).
    named: set[int] = field(default_factory=set)
    # The query asks how to do something (a cue such as "làm thế nào").
    how_to: bool = False
    # The typed text with keyboard leftovers repaired, when that changed anything.
    repaired: str | None = None
    # Full numbers looked up already, with the documents whose number they are.
    numbers: dict[tuple[str, ...], set[int]] = field(default_factory=dict)

    def add_alternative(self, alternative: Alternative) -> None:
        """Keep an alternative unless it is known already or the bound is reached."""
        if len(self.alternatives) < MAX_ALTERNATIVES and alternative not in self.alternatives:
            self.alternatives.append(alternative)

    def add_bonus(self, doc: int, bonus: float) -> None:
        """Give a document the larger of its bonuses."""
        if doc in self.bonuses or len(self.bonuses) < MAX_BONUSES:
            self.bonuses[doc] = max(self.bonuses.get(doc, 0.0), bonus)


Rewrite = Callable[[IndexSnapshot, QueryPlan], str | None]
Expand = Callable[[IndexSnapshot, QueryPlan, Additions], None]
Reorder = Callable[[IndexSnapshot, QueryPlan, Additions, dict[int, float], Collection[int]], None]


@dataclass(frozen=True)
class QueryFeature:
    """One feature's hooks; any of them may be left out."""

    name: str
    rewrite: Rewrite | None = None
    expand: Expand | None = None
    reorder: Reorder | None = None


def prepare(
    snapshot: IndexSnapshot, plan: QueryPlan, features: Sequence[QueryFeature]
) -> tuple[QueryPlan, Additions]:
    """Run the rewrites, then the expansions; return the plan to rank and the additions."""
    additions = Additions()
    for feature in features:
        if feature.rewrite is None:
            continue
        text = feature.rewrite(snapshot, plan)
        if text and text != plan.text:
            rewritten = plan_query(text)
            if not rewritten.empty:
                rewritten.truncated = plan.truncated
                plan = rewritten
                additions.repaired = text
    for feature in features:
        if feature.expand is not None:
            feature.expand(snapshot, plan, additions)
    return plan, additions


def reorder(
    snapshot: IndexSnapshot,
    plan: QueryPlan,
    additions: Additions,
    scores: dict[int, float],
    matching: Collection[int],
    features: Sequence[QueryFeature],
) -> None:
    """Let each feature adjust the scores of the documents that will be shown."""
    for feature in features:
        if feature.reorder is not None and matching:
            feature.reorder(snapshot, plan, additions, scores, matching)
