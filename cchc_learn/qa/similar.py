"""Suggestions while a question's title is typed: answered questions, FAQ entries, documents.

A document number in the title finds that document first (`4599/QĐ-UBND` exactly, `4599` or
`QD 4599` by the number's leading digits); then the search index answers the title as a query,
limited to questions and documents and to what the account may see (private, hidden and
unanswered questions are never indexed). Suggestions only: nothing is blocked or merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from ..extensions import db
from ..kb.models import Document
from ..kb.service import document_url
from ..search import service as search
from ..textnorm import number_key
from .search_provider import FAQ_TYPE
from .workflow import clean_line

MAX_RESULTS = 8
MAX_QUERY = 300
_FULL_NUMBER = re.compile(r"(?<![\w/-])\d+\w*(?:[/-]+\w+)+")
_DIGITS = re.compile(r"(?<![\d/.,-])(\d{2,6})(?![\d/.,])")


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: kind is "faq", "question" or "document"."""

    kind: str
    id: int
    title: str
    url: str

    def as_json(self) -> dict[str, Any]:
        """The API's shape."""
        return {"kind": self.kind, "id": self.id, "title": self.title, "url": self.url}


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1945 <= int(digits) <= 2100


def documents_numbered(text: str, limit: int = 3) -> list[Suggestion]:
    """Live documents whose number appears in text, in full or by its leading digits."""
    keys = [number_key(m.group())[:80] for m in _FULL_NUMBER.finditer(text)][:5]
    digits = [d for d in _DIGITS.findall(text) if not _is_year(d)][:5]
    if not keys and not digits:
        return []
    conditions = [Document.number_key.in_(keys)] if keys else []
    for d in digits:
        conditions += [Document.number_key.like(f"{d}/%"), Document.number_key.like(f"{d}-%")]
    rows = db.session.execute(
        select(Document.id, Document.slug, Document.doc_type, Document.number, Document.summary)
        .where(Document.archived.is_(False), or_(*conditions))
        .order_by(Document.issued.desc(), Document.id)
        .limit(limit)
    ).all()
    return [Suggestion("document", r.id, f"{r.doc_type} {r.number}: {r.summary}"[:300],
                       document_url(r.slug)) for r in rows]


def similar(text: str | None, viewer: Any, limit: int = MAX_RESULTS) -> list[Suggestion]:
    """Suggestions for a title being typed, best first (none for under three characters)."""
    query = clean_line(text)[:MAX_QUERY]
    if len(query) < 3:
        return []
    found = documents_numbered(query)
    answer = search.search(query, user=viewer, filters={"kind": ["question", "document"]},
                           per_page=limit)
    for hit in answer.hits:
        if hit.kind == "question":
            kind = "faq" if hit.type == FAQ_TYPE else "question"
        elif hit.kind == "document":
            kind = "document"
        else:
            continue
        found.append(Suggestion(kind, int(hit.id), hit.title, hit.url))
    seen: set[tuple[str, int]] = set()
    out = []
    for s in found:
        key = ("document" if s.kind == "document" else "question", s.id)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out[:limit]
