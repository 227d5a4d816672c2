"""What a search returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchHit:
    """One item on a result page; snippet is safe HTML (text escaped, hits in <mark>)."""

    key: str
    kind: str
    id: int | str
    title: str
    number: str
    url: str
    snippet: str
    score: float
    type: str = ""
    issuer: str = ""
    year: str = ""
    topics: tuple[str, ...] = ()


@dataclass
class SearchResults:
    """A page of hits, the total, facet counts, a "did you mean" and a message on the query.

    facets maps each facet ("kind", "type", "issuer", "year", "topic") to (value, count)
    pairs: the documents matching the query and every filter but that facet's own.
    suggestion is a corrected query ("did you mean"); with repaired, the hits already are its.
    error is a Vietnamese message about the query (nothing to search for, or cut short).
    """

    query: str = ""
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    # The hits are those of the suggestion: the query held keyboard leftovers (Telex, VNI).
    repaired: bool = False
    error: str | None = None

    @property
    def pages(self) -> int:
        """Return the number of result pages."""
        return max(1, -(-self.total // self.per_page))
