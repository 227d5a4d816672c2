"""Documents written or edited in the browser: validate like files, save as revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..audit.service import record
from ..auth.models import User
from ..clock import utcnow
from ..content.frontmatter import MarkdownFile
from ..content.sourced import edit_the_file
from ..database import transactional
from ..extensions import db
from ..formkit import tidy_file_name
from ..markup import MAX_INPUT_CHARS, MarkupInputTooLarge, Rendered, render
from ..markup.source import vi_count
from ..search.models import log_change
from ..textnorm import slugify
from . import files
from .loader import validate_document
from .models import Attachment, Document, DocumentRevision, DocumentTopic
from .service import KbError, number_resolver

FORM_PATH = "(biểu mẫu)"
MAX_BODY_CHARS = MAX_INPUT_CHARS


@dataclass
class DocumentInput:
    """What the edit form sends, as plain values."""

    number: str
    doc_type: str
    issuer: str
    issued: date | None
    status: str
    replaced_by: str
    topics: str  # comma separated
    summary: str
    body: str
    message: str = ""

    def meta(self) -> dict[str, Any]:
        """The values in the front-matter shape the file loader validates."""
        meta: dict[str, Any] = {
            "number": self.number,
            "type": self.doc_type,
            "issuer": self.issuer,
            "issued": self.issued,
            "status": self.status or "in_force",
            "topics": [t.strip() for t in self.topics.split(",") if t.strip()],
            "summary": self.summary,
        }
        if self.replaced_by.strip():
            meta["replaced_by"] = self.replaced_by.strip()
        return meta


def _validated(data: DocumentInput, slug: str):
    if len(data.body) > MAX_BODY_CHARS:
        raise KbError(f"Nội dung quá dài (tối đa {vi_count(MAX_BODY_CHARS)} ký tự).")
    md = MarkdownFile(path=FORM_PATH, meta=data.meta(), body=data.body, body_line=1)
    source, problems = validate_document(md, slug)
    if problems:
        raise KbError(" ".join(p.message[:1].upper() + p.message[1:] + "." for p in problems))
    return source


def _render(body: str) -> Rendered:
    try:
        return render(body, doc_link_resolver=number_resolver())
    except MarkupInputTooLarge as exc:
        raise KbError(str(exc)) from exc


def preview(data: DocumentInput) -> str:
    """Render the body as it would be saved (nothing is written)."""
    return _render(data.body).html


def _unique_slug(number: str) -> str:
    base = slugify(number) or "van-ban"
    slug, n = base, 2
    while db.session.scalar(select(Document.id).where(Document.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_editable(doc: Document) -> None:
    if doc.from_file:
        raise KbError(edit_the_file("Văn bản", doc.source_path))


@transactional
def save(doc: Document | None, data: DocumentInput, actor: User) -> Document:
    """Create or update a web-authored document as a new revision; the caller commits."""
    if doc is not None:
        _check_editable(doc)
    slug = doc.slug if doc is not None else _unique_slug(data.number)
    source = _validated(data, slug)
    rendered = _render(source.body)
    if doc is None:
        doc = Document(slug=slug, version=0)
        db.session.add(doc)
    doc.number, doc.number_key = source.number, source.key
    doc.doc_type, doc.issuer, doc.issued = source.doc_type, source.issuer, source.issued
    doc.status, doc.replaced_by = source.status, source.replaced_by
    doc.summary, doc.body_md = source.summary, source.body
    doc.body_html, doc.toc_html = rendered.html, rendered.toc_html
    doc.topic_links = [DocumentTopic(topic=t) for t in source.topics]
    doc.version += 1
    doc.updated_at = utcnow()
    db.session.flush()
    meta = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.meta().items()}
    db.session.add(
        DocumentRevision(
            document_id=doc.id,
            version=doc.version,
            meta=meta,
            body_md=source.body,
            author_id=actor.id,
            message=data.message.strip()[:300],
        )
    )
    log_change("document", doc.id)
    record(
        actor,
        "document.save",
        "document",
        doc.id,
        f"Lưu văn bản {doc.number} (phiên bản {doc.version})",
    )
    return doc


def revisions(doc: Document) -> list[DocumentRevision]:
    """The document's revisions, newest first."""
    return DocumentRevision.newest_first(doc.id)


def get_revision(doc: Document, revision_id: int) -> DocumentRevision | None:
    """One revision of this document."""
    rev = db.session.get(DocumentRevision, revision_id)
    return rev if rev is not None and rev.document_id == doc.id else None


@transactional
def restore(doc: Document, revision: DocumentRevision, actor: User) -> Document:
    """Save an earlier revision's content as the newest revision."""
    meta = revision.meta
    issued = date.fromisoformat(meta["issued"]) if meta.get("issued") else None
    data = DocumentInput(
        number=meta.get("number", ""),
        doc_type=meta.get("type", ""),
        issuer=meta.get("issuer", ""),
        issued=issued,
        status=meta.get("status", "in_force"),
        replaced_by=meta.get("replaced_by") or "",
        topics=", ".join(meta.get("topics", [])),
        summary=meta.get("summary", ""),
        body=revision.body_md,
        message=f"Khôi phục phiên bản {revision.version}",
    )
    return save(doc, data, actor)


@transactional
def add_attachment(
    doc: Document, data: bytes, filename: str, title: str, actor: User, upload_dir: Path
) -> Attachment:
    """Check and store an uploaded PDF/DOCX for a web-authored document."""
    _check_editable(doc)
    name = tidy_file_name(filename or "")
    try:
        checked = files.check_file(data, name)
    except files.AttachmentError as exc:
        raise KbError(str(exc)) from exc
    attachment = Attachment(
        title=(title or name).strip()[:300],
        original_name=name,
        stored_name=files.store(data, upload_dir, checked),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    doc.attachments.append(attachment)
    db.session.flush()
    log_change("document", doc.id)
    record(
        actor, "document.attach", "document", doc.id, f"Đính kèm {name} vào văn bản {doc.number}"
    )
    return attachment


@transactional
def remove_attachment(doc: Document, attachment: Attachment, actor: User) -> None:
    """Detach a file (the stored bytes stay for the access history)."""
    _check_editable(doc)
    doc.attachments.remove(attachment)
    log_change("document", doc.id)
    record(
        actor,
        "document.detach",
        "document",
        doc.id,
        f"Gỡ tệp {attachment.original_name} khỏi văn bản {doc.number}",
    )
