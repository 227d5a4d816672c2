"""Knowledge-base operations: sync from files, look-ups, browsing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, bindparam, extract, func, or_, select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..auth.models import User
from ..clock import utcnow
from ..content.summary import SyncSummary
from ..extensions import db
from ..markup import render
from ..search.models import log_change
from ..textnorm import number_key
from . import files
from .loader import DocumentSource
from .models import Attachment, Document, DocumentRevision, DocumentTopic

SORTS = {
    "issued_desc": (Document.issued.desc(), Document.id.desc()),
    "issued_asc": (Document.issued.asc(), Document.id.asc()),
    "number": (Document.number_key.asc(), Document.id.asc()),
}


WITHOUT_TEXT = (defer(Document.body_md), defer(Document.body_html), defer(Document.toc_html))
"""Load options for lists of documents: their texts (up to 200,000 characters) stay unread."""

_ONE = (defer(Document.body_md), joinedload(Document.topic_links))
"""Load options for one document shown on its page: the Markdown left unread, topics joined."""

# Built once: they run on every document page, where building a statement costs more than
# running it.
_BY_SLUG = select(Document).options(*_ONE).where(Document.slug == bindparam("slug"))
_FILES = select(Attachment).where(Attachment.document_id == bindparam("id")).order_by(Attachment.id)


class KbError(ValueError):
    """A knowledge-base operation that cannot be done; the message is for users."""


def document_url(slug: str) -> str:
    """Path of a document page."""
    return f"/kb/{slug}"


def _hash(source: DocumentSource) -> str:
    payload = {
        **_meta(source),
        "body": source.body,
        "attachments": [(a.file, a.title) for a in source.attachments],
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def number_resolver(extra: Iterable[DocumentSource] = ()) -> Callable[[str], str | None]:
    """Map a document number to its page when exactly one live document has it."""
    slugs: dict[str, set[str]] = {}
    for number, slug in db.session.execute(
        select(Document.number_key, Document.slug).where(Document.archived.is_(False))
    ):
        slugs.setdefault(number, set()).add(slug)
    for source in extra:
        slugs.setdefault(source.key, set()).add(source.slug)

    def resolve(number: str) -> str | None:
        found = slugs.get(number_key(number), set())
        return document_url(next(iter(found))) if len(found) == 1 else None

    return resolve


def _meta(source: DocumentSource) -> dict:
    return {
        "number": source.number,
        "type": source.doc_type,
        "issuer": source.issuer,
        "issued": source.issued.isoformat(),
        "status": source.status,
        "replaced_by": source.replaced_by,
        "topics": source.topics,
        "summary": source.summary,
        "source": source.source,
    }


def _apply(
    doc: Document, source: DocumentSource, resolve, content_dir: Path, upload_dir: Path
) -> None:
    rendered = render(source.body, doc_link_resolver=resolve)
    doc.number, doc.number_key = source.number, source.key
    doc.doc_type, doc.issuer, doc.issued = source.doc_type, source.issuer, source.issued
    doc.status, doc.replaced_by = source.status, source.replaced_by
    doc.summary, doc.source, doc.body_md = source.summary, source.source, source.body
    doc.body_html, doc.toc_html = rendered.html, rendered.toc_html
    doc.source_path = source.path
    doc.archived = False
    doc.updated_at = utcnow()
    doc.topic_links = [DocumentTopic(topic=t) for t in source.topics]
    wanted = {(a.file, a.title) for a in source.attachments}
    have = {(a.original_name, a.title): a for a in doc.attachments}
    for key, attachment in have.items():
        if key not in wanted:
            doc.attachments.remove(attachment)
    for spec in source.attachments:
        if (spec.file, spec.title) in have:
            continue
        path = (content_dir / "documents" / spec.file).resolve()
        data = path.read_bytes()
        checked = files.check_file(data, spec.file)
        doc.attachments.append(
            Attachment(
                title=spec.title,
                original_name=Path(spec.file).name,
                stored_name=files.store(data, upload_dir, checked),
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
        )


def check_attachments(sources: Iterable[DocumentSource], content_dir: Path) -> list[str]:
    """Problems with the attachment files the sources name (path:line: message)."""
    problems = []
    base = (content_dir / "documents").resolve()
    for source in sources:
        for spec in source.attachments:
            path = (base / spec.file).resolve()
            if base not in path.parents or not path.is_file():
                problems.append(
                    f"{content_dir.name}/{source.path}:{spec.line}: không tìm "
                    f"thấy tệp đính kèm {spec.file}"
                )
                continue
            try:
                files.check_file(path.read_bytes(), spec.file)
            except files.AttachmentError as exc:
                problems.append(f"{content_dir.name}/{source.path}:{spec.line}: {exc}")
    return problems


def sync_documents(
    sources: list[DocumentSource],
    *,
    content_dir: Path,
    upload_dir: Path,
    actor: User | None = None,
    progress: Callable[[DocumentSource], None] | None = None,
) -> SyncSummary:
    """Bring file-sourced documents in line with the files; the caller commits."""
    summary = SyncSummary()
    resolve = number_resolver(sources)
    existing = {d.slug: d for d in db.session.scalars(select(Document))}
    for source in sources:
        digest = _hash(source)
        doc = existing.get(source.slug)
        if doc is not None and doc.content_hash == digest and not doc.archived:
            summary.unchanged += 1
        else:
            if doc is None:
                doc = Document(slug=source.slug, version=1)
                db.session.add(doc)
                summary.added += 1
            else:
                doc.version += 1
                summary.updated += 1
            _apply(doc, source, resolve, content_dir, upload_dir)
            doc.content_hash = digest
            db.session.flush()
            db.session.add(
                DocumentRevision(
                    document_id=doc.id,
                    version=doc.version,
                    meta=_meta(source),
                    body_md=source.body,
                    author_id=actor.id if actor else None,
                    message=f"Đồng bộ từ {source.path}",
                )
            )
            log_change("document", doc.id)
        if progress:
            progress(source)
    names = {s.slug for s in sources}
    for slug, doc in existing.items():
        if doc.from_file and slug not in names and not doc.archived:
            doc.archived = True
            summary.archived += 1
            log_change("document", doc.id)
    return summary


def get_document(ident: str) -> Document | None:
    """Find a live document by id or slug, its topics and files loaded."""
    if ident.isdigit():
        doc = db.session.get(Document, int(ident), options=_ONE)
    else:
        doc = db.session.execute(_BY_SLUG, {"slug": ident[:120]}).unique().scalar_one_or_none()
    if doc is None or doc.archived:
        return None
    # Apart from the topics: joined to them, each file's row would repeat the whole text.
    set_committed_value(doc, "attachments", db.session.scalars(_FILES, {"id": doc.id}).all())
    return doc


@dataclass
class BrowseResult:
    """A page of documents with the values each filter offers."""

    documents: list[Document]
    total: int
    facets: dict[str, list[tuple[str, int]]]


def browse(
    *,
    doc_type: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    topic: str | None = None,
    status: str | None = None,
    sort: str = "issued_desc",
    page: int = 1,
    per_page: int = 20,
) -> BrowseResult:
    """Filter and sort live documents; facet counts are SQL aggregates."""
    base = select(Document.id).where(Document.archived.is_(False))
    if doc_type:
        base = base.where(Document.doc_type == doc_type)
    if issuer:
        base = base.where(Document.issuer == issuer)
    if year:
        base = base.where(extract("year", Document.issued) == year)
    if status:
        base = base.where(Document.status == status)
    if topic:
        base = base.where(
            Document.id.in_(select(DocumentTopic.document_id).where(DocumentTopic.topic == topic))
        )
    ids = base.subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    order = SORTS.get(sort, SORTS["issued_desc"])
    docs = db.session.scalars(
        select(Document)
        .options(*WITHOUT_TEXT)
        .where(Document.id.in_(select(ids.c.id)))
        .order_by(*order)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()

    def facet(column) -> list[tuple[str, int]]:
        rows = db.session.execute(
            select(column, func.count())
            .where(Document.id.in_(select(ids.c.id)))
            .group_by(column)
            .order_by(func.count().desc(), column)
        ).all()
        return [(str(v), n) for v, n in rows if v is not None]

    year_col = extract("year", Document.issued)
    topic_rows = db.session.execute(
        select(DocumentTopic.topic, func.count())
        .where(DocumentTopic.document_id.in_(select(ids.c.id)))
        .group_by(DocumentTopic.topic)
        .order_by(func.count().desc(), DocumentTopic.topic)
    ).all()
    facets = {
        "type": facet(Document.doc_type),
        "issuer": facet(Document.issuer),
        "year": sorted(
            (
                (str(int(float(y))), n)
                for y, n in db.session.execute(
                    select(year_col, func.count())
                    .where(Document.id.in_(select(ids.c.id)))
                    .group_by(year_col)
                ).all()
            ),
            reverse=True,
        ),
        "topic": [(t, n) for t, n in topic_rows],
        "status": facet(Document.status),
    }
    return BrowseResult(list(docs), total, facets)


@dataclass(frozen=True)
class Link:
    """A document as a link beside another one shows it."""

    id: int
    slug: str
    doc_type: str
    number: str
    summary: str


@dataclass(frozen=True)
class Related:
    """What a document page shows beside the document."""

    successor: Link | None
    """The live document with the number this one was replaced by, when exactly one has it."""
    documents: list[Link]
    """What replaces it and what it replaced, then those sharing most topics, newest first."""


_LINK_COLUMNS = (Document.id, Document.slug, Document.doc_type, Document.number, Document.summary)

# Built once, and read as plain rows: they run on every document page.
_NEAR = (
    select(*_LINK_COLUMNS, Document.number_key, Document.replaced_by_key)
    .where(
        or_(Document.number_key == bindparam("successor_key"),
            Document.replaced_by_key == bindparam("key")),
        Document.archived.is_(False),
    )
    .order_by(Document.id)
)  # fmt: skip
"""What replaces a document (number :successor_key) and what it replaced (number :key)."""


def _ranked_by_topics() -> Select:
    # Rank ids from the topic links first: scanning or grouping whole document rows would
    # read their texts along (SQLite keeps them before `archived` in each row).
    overlap = func.count().label("overlap")
    issued = func.max(Document.issued).label("issued")
    ranked = (
        select(DocumentTopic.document_id.label("id"), issued, overlap)
        .join(Document, Document.id == DocumentTopic.document_id)
        .where(
            DocumentTopic.topic.in_(bindparam("topics", expanding=True)),
            DocumentTopic.document_id != bindparam("id"),
            Document.archived.is_(False),
        )
        .group_by(DocumentTopic.document_id)
        .order_by(overlap.desc(), issued.desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    return (
        select(*_LINK_COLUMNS)
        .join(ranked, ranked.c.id == Document.id)
        .order_by(ranked.c.overlap.desc(), ranked.c.issued.desc())
    )


_RANKED = _ranked_by_topics()
"""The :limit other live documents sharing most of :topics, newest first among equals."""


def _link(row) -> Link:
    return Link(row.id, row.slug, row.doc_type, row.number, row.summary)


def related(doc: Document, limit: int = 6) -> Related:
    """What replaces doc, and up to limit documents to show beside it (see Related)."""
    connection = db.session.connection()
    successor_key = number_key(doc.replaced_by) if doc.replaced_by else None
    params = {"successor_key": successor_key, "key": doc.number_key}
    near = connection.execute(_NEAR, params).all()
    successors = [_link(row) for row in near if successor_key and row.number_key == successor_key]
    linked = successors + [_link(row) for row in near if row.replaced_by_key == doc.number_key]
    if doc.topics:
        params = {"topics": doc.topics, "id": doc.id, "limit": limit}
        linked += [_link(row) for row in connection.execute(_RANKED, params)]
    seen, out = set(), []
    for link in linked:
        if link.id not in seen and link.id != doc.id:
            seen.add(link.id)
            out.append(link)
    return Related(successors[0] if len(successors) == 1 else None, out[:limit])
