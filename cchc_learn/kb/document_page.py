"""What a document page shows, kept per worker until the change log moves.

A document page is read far more often than anything on it changes, and most of its cost is
the document, its files, the documents beside it and the texts citing it — each a query. Every
save that changes any of them appends to the search change log (`search.models.log_change`:
documents, their files, and the texts that cite them when they are saved), so the newest entry
of that log is a version of everything the page shows: one indexed `max(id)` tells whether the
kept page still holds. Each worker keeps its own pages; nothing is shared between processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app

from ..extensions import db
from ..search.indexer import latest_change_id
from . import service
from .citations import Citation, cited_by
from .models import Document

KEPT = 256
"""Documents kept per worker; the least recently shown leaves first."""


@dataclass(frozen=True)
class DocumentPage:
    """A document with its files and topics loaded, and what is shown beside it."""

    document: Document
    related: service.Related
    citations: list[Citation]


class _Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[int, DocumentPage | None]] = OrderedDict()

    def get(self, ident: str, version: int) -> tuple[bool, DocumentPage | None]:
        with self.lock:
            kept = self.pages.get(ident)
            if kept is None or kept[0] != version:
                return False, None
            self.pages.move_to_end(ident)
            return True, kept[1]

    def put(self, ident: str, version: int, page: DocumentPage | None) -> None:
        with self.lock:
            self.pages[ident] = (version, page)
            self.pages.move_to_end(ident)
            while len(self.pages) > KEPT:
                self.pages.popitem(last=False)


def document_page(ident: str) -> DocumentPage | None:
    """The live document with this id or slug and what its page shows (None: no such page)."""
    kept: _Kept = current_app.extensions.setdefault("cchc_document_pages", _Kept())
    key = ident[:120]
    version = latest_change_id()
    found, page = kept.get(key, version)
    if found:
        return page
    doc = service.get_document(key)
    page = None
    if doc is not None:
        page = DocumentPage(doc, service.related(doc), cited_by(doc))
        # Kept beyond this request: it must not be refreshed or expired by this session.
        db.session.expunge(doc)
    kept.put(key, version, page)
    return page
