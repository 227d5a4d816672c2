"""What a document page shows, kept per worker until the change log moves.

A document page is read far more often than anything on it changes, and most of its cost is
the document, its files, the documents beside it and the texts citing it — each a query. Every
save that changes any of them logs a change (documents, their files, and the texts that cite
them when they are saved), so the page is kept (`search.kept`) and built again only when the
change log has moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from ..search.kept import kept
from . import service
from .citations import Citation, cited_by
from .models import Document


@dataclass(frozen=True)
class DocumentPage:
    """A document with its files and topics loaded, and what is shown beside it."""

    document: Document
    related: service.Related
    citations: list[Citation]


def _build(ident: str) -> DocumentPage | None:
    doc = service.get_document(ident)
    if doc is None:
        return None
    page = DocumentPage(doc, service.related(doc), cited_by(doc))
    # Kept beyond this request: it must not be refreshed or expired by this session.
    db.session.expunge(doc)
    return page


def document_page(ident: str) -> DocumentPage | None:
    """The live document with this id or slug and what its page shows (None: no such page)."""
    key = ident[:120]
    return kept("document_pages").get(key, lambda: _build(key))
