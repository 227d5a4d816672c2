"""Answer a search for a user: catch up with the change log, restrict to what they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from . import indexer
from .engine import IndexUnavailable

FACETS = ("kind", "type", "issuer", "year", "topic")
KIND_LABELS = {"document": "Văn bản", "lesson": "Bài học", "question": "Hỏi đáp"}
UNAVAILABLE = ("Chỉ mục tìm kiếm đang được xây dựng lại. Vui lòng thử lại sau ít phút; các "
               "trang khác vẫn dùng bình thường.")
MAX_QUERY_CHARS = 500
MAX_PAGE = 100


@dataclass
class Answer:
    """What a search page or API call shows."""

    query: str
    total: int = 0
    hits: list[Any] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    repaired: bool = False
    error: str | None = None
    page: int = 1
    per_page: int = 10


def audience_for(user: Any) -> set[str]:
    """The audience tokens a user's searches may see."""
    tokens = {"public"}
    if getattr(user, "is_authenticated", False):
        tokens.add(f"user:{user.id}")
        tokens.update(f"role:{role}" for role in user.role_names)
    return tokens


def clean_filters(raw: dict[str, str | None]) -> dict[str, list[str]]:
    """Keep known facet filters with short values."""
    return {name: [value.strip()[:200]] for name, value in raw.items()
            if name in FACETS and value and value.strip()}


def search(text: str | None, *, user: Any, filters: dict[str, list[str]] | None = None,
           page: int = 1, per_page: int = 10) -> Answer:
    """Run one search; never raises for odd input or a missing index."""
    query = (text or "").strip()
    page = min(max(page, 1), MAX_PAGE)
    answer = Answer(query=query, page=page, per_page=per_page)
    index = indexer.get_index()
    try:
        if not index.exists():
            raise IndexUnavailable(index.index_dir, "chưa được xây dựng")
        if indexer.pending():
            indexer.catch_up()
        result = index.search(query, filters=filters or {}, page=page, per_page=per_page,
                              visible_to=audience_for(user))
    except IndexUnavailable:
        indexer.rebuild_in_background(current_app._get_current_object())
        answer.error = UNAVAILABLE
        return answer
    answer.total, answer.hits = result.total, list(result.hits)
    answer.facets, answer.suggestion = dict(result.facets), result.suggestion
    answer.repaired = result.repaired
    answer.error = result.error
    return answer
