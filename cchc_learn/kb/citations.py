"""What cites a document: features register finders (kb knows none of them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from .models import Document


@dataclass(frozen=True)
class Citation:
    """Something that links to a document with [[number]]."""

    kind: str  # shown to users: "Bài học", "Câu trả lời", …
    title: str
    url: str


Finder = Callable[[Document], list[Citation]]


def register(app: Flask, finder: Finder) -> None:
    """Add a source of citations (lessons, answers, …)."""
    app.extensions.setdefault("cchc_citation_finders", []).append(finder)


def cited_by(doc: Document) -> list[Citation]:
    """Every registered citation of doc."""
    found: list[Citation] = []
    for finder in current_app.extensions.get("cchc_citation_finders", []):
        found.extend(finder(doc))
    return found
