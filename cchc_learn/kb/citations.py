"""What cites a document: features register finders (kb knows none of them) and keep their links.

A citing feature stores the document numbers its texts link to with [[number]] whenever a text
is saved (`store`), and registers a finder that reads them back for a document (`citing`), so a
document page never scans the citing texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.sql import Select

from ..textnorm import number_key
from .models import Document, DocumentCitation

# [[number]] or [[number|label]], as the Markdown renderer reads document links.
_LINK = re.compile(r"\[\[([^\]|\n]{1,80})(?:\|[^\]\n]*)?\]\]")


@dataclass(frozen=True)
class Citation:
    """Something that links to a document with [[number]]."""

    kind: str  # shown to users: "Bài học", "Câu trả lời", …
    title: str
    url: str


Finder = Callable[[Document], list[Citation]]


def register(app: Flask, finder: Finder) -> None:
    """Add a source of citations (lessons, answers, …).

    Document pages are kept until the search change log moves (`kb.document_page`): a feature
    that stores citations does so in a save that also logs a change (`log_change`).
    """
    app.extensions.setdefault("cchc_citation_finders", []).append(finder)


def cited_by(doc: Document) -> list[Citation]:
    """Every registered citation of doc."""
    found: list[Citation] = []
    for finder in current_app.extensions.get("cchc_citation_finders", []):
        found.extend(finder(doc))
    return found


def cited_keys(markdown: str) -> set[str]:
    """The number keys of every [[number]] link in a text (however the number is typed)."""
    keys = {number_key(m.group(1)) for m in _LINK.finditer(markdown or "")}
    # A key longer than a document number's column can never match a document.
    return {key for key in keys if key and len(key) <= 80}


def store(connection: Connection, kind: str, source_id: int, keys: Iterable[str]) -> None:
    """Replace the stored links of one citing text (in the caller's transaction)."""
    table = DocumentCitation.__table__
    connection.execute(
        delete(table).where(table.c.source_kind == kind, table.c.source_id == source_id)
    )
    rows = [{"source_kind": kind, "source_id": source_id, "number_key": k} for k in sorted(keys)]
    if rows:
        connection.execute(insert(table), rows)


def citing(kind: str) -> Select:
    """Ids of the texts of one kind that link to the number key :number_key (for finders).

    A finder builds its statement on this once and runs it with a document's number_key.
    """
    return select(DocumentCitation.source_id).where(
        DocumentCitation.source_kind == kind,
        DocumentCitation.number_key == bindparam("number_key"),
    )
