"""Reform documents (văn bản), their topics, revisions and attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..content.sourced import FileSourced
from ..extensions import db
from ..revision_fields import RevisionFields
from ..textnorm import number_key

STATUSES = {
    "in_force": "Còn hiệu lực",
    "partially_expired": "Hết hiệu lực một phần",
    "replaced": "Đã được thay thế",
    "expired": "Hết hiệu lực",
}


class Document(FileSourced, db.Model):
    """One document of the knowledge base; the text is stored as Markdown and rendered HTML."""

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_number_key", "number_key"),
        Index("ix_document_issued", "issued"),
        Index("ix_document_replaced_by_key", "replaced_by_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    number: Mapped[str] = mapped_column(String(80))
    number_key: Mapped[str] = mapped_column(String(80))
    doc_type: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str] = mapped_column(String(200))
    issued: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="in_force")
    replaced_by: Mapped[str | None] = mapped_column(String(80))
    replaced_by_key: Mapped[str | None] = mapped_column(String(80))
    """The number key of replaced_by, kept by the model: finds what a document replaced."""
    summary: Mapped[str] = mapped_column(Text)
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    toc_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(300))

    topic_links: Mapped[list[DocumentTopic]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="DocumentTopic.topic",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def topics(self) -> list[str]:
        """Topic names."""
        return [link.topic for link in self.topic_links]

    @property
    def title(self) -> str:
        """How the document is named in lists: type, number, summary."""
        return f"{self.doc_type} {self.number}"

    @property
    def status_label(self) -> str:
        """The status in Vietnamese."""
        return STATUSES.get(self.status, self.status)


@event.listens_for(Document, "before_insert")
@event.listens_for(Document, "before_update")
def _refresh_replaced_by_key(_mapper, _connection, doc: Document) -> None:
    doc.replaced_by_key = number_key(doc.replaced_by or "")[:80] or None


class DocumentTopic(db.Model):
    """A topic (PAR-INDEX, Một cửa, …) a document belongs to."""

    __tablename__ = "document_topic"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(60), primary_key=True)

    document: Mapped[Document] = relationship(back_populates="topic_links")


class DocumentRevision(RevisionFields, db.Model):
    """A saved version of a document: who, when, and what it said."""

    __tablename__ = "document_revision"
    owner_key = "document_id"
    __table_args__ = (Index("ix_document_revision_doc_version", "document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))


class Attachment(db.Model):
    """A PDF or DOCX file of a document, stored under a generated name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")


class DocumentCitation(db.Model):
    """A [[number]] link in a citing text (a lesson, …) to whichever document has the number.

    Kept by the citing feature whenever its text is saved; keyed by the folded number, so a
    document added or renumbered later is cited without touching the rows.
    """

    __tablename__ = "citation"
    __table_args__ = (Index("ix_citation_source", "source_kind", "source_id"),)

    # The key first: a document page looks its citations up by number.
    number_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    source_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    source_id: Mapped[int] = mapped_column(primary_key=True)
