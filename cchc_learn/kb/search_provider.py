"""How documents reach the search index."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ..extensions import db
from ..markup import to_plain_text
from ..search.documents import PUBLIC, IndexDocument
from ..search.providers import Provider
from .models import Document
from .service import document_url


def _as_index(doc: Document) -> IndexDocument:
    return IndexDocument(
        key=f"document:{doc.id}", kind="document", id=doc.id,
        title=f"{doc.doc_type} {doc.number}", number=doc.number, summary=doc.summary,
        body=to_plain_text(doc.body_md), type=doc.doc_type, issuer=doc.issuer,
        year=doc.issued.year, topics=tuple(doc.topics), url=document_url(doc.slug),
        audience=(PUBLIC,), updated=doc.updated_at,
    )


def load(ids: list[int]) -> dict[int, IndexDocument | None]:
    """Index documents for ids; archived or missing ones map to None (removed)."""
    docs = db.session.scalars(select(Document).where(Document.id.in_(ids))).all()
    found = {d.id: (None if d.archived else _as_index(d)) for d in docs}
    return {i: found.get(i) for i in ids}


def all_ids() -> Iterable[int]:
    """Every live document."""
    return db.session.scalars(select(Document.id).where(Document.archived.is_(False))).all()


PROVIDER = Provider(kind="document", load=load, all_ids=all_ids)
