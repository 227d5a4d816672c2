"""The tunable ranking parameters, shared by the scorer and what it builds on."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # Alternatives (from the query features) earn this share of a literal match's score:
    # a synonym or abbreviation, a corrected spelling.
    synonym: float = 0.8
    spelling: float = 0.7
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
