"""Documents as a kind of content file: content/documents/*.md for `content check|sync`.

Its lookup, for the kinds after it, maps a document number to the page of the one live document
that has it (from the files or written in the browser), else None.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..content.kinds import Checked, ContentKind, Lookups, SyncRun
from ..content.problems import Problem
from ..extensions import db
from ..markup import MarkupInputTooLarge, render
from ..textnorm import number_key
from . import service
from .loader import DocumentSource, load_documents
from .models import Document

Resolver = Callable[[str], str | None]


def _resolver(numbers: dict[str, set[str]]) -> Resolver:
    def resolve(number: str) -> str | None:
        found = numbers.get(number_key(number), set())
        return service.document_url(next(iter(found))) if len(found) == 1 else None

    return resolve


def _link_problems(path: str, body: str, body_line: int, resolve: Resolver) -> list[Problem]:
    try:
        rendered = render(body, doc_link_resolver=resolve)
    except MarkupInputTooLarge as exc:
        return [Problem(path, body_line + exc.line - 1, str(exc))]
    return [
        Problem(
            path,
            body_line + link.line - 1,
            f"liên kết [[{link.number}]] không trỏ tới văn bản nào trong cơ sở dữ liệu văn bản",
        )
        for link in rendered.doc_links
        if not link.resolved
    ]


def _attachment_problems(documents: list[DocumentSource], root: Path) -> list[Problem]:
    problems = []
    for doc in documents:
        if not doc.attachments:
            continue
        # Every attachment of a document is reported on the line of its `attachments` key.
        path, line = f"{root.name}/{doc.path}", doc.attachments[0].line
        problems += [
            Problem(path, line, text.removeprefix(f"{path}:{line}: "))
            for text in service.check_attachments([doc], root)
        ]
    return problems


def _web_documents() -> list[tuple[str, str]]:
    """(number key, slug) of live documents written in the browser, which a sync keeps."""
    try:
        return list(
            db.session.execute(
                select(Document.number_key, Document.slug).where(
                    Document.archived.is_(False), Document.source_path.is_(None)
                )
            )
        )
    except SQLAlchemyError:
        # `content check` may run before the database exists: the files alone are checked.
        db.session.rollback()
        return []


def check(root: Path, lookups: Lookups) -> Checked:
    """Read and check every document file, and the links between them."""
    documents, problems = load_documents(root)
    problems += _attachment_problems(documents, root)
    numbers: dict[str, set[str]] = {}
    for doc in documents:
        numbers.setdefault(doc.key, set()).add(doc.slug)
    in_files = _resolver(numbers)
    for doc in documents:
        problems += _link_problems(f"{root.name}/{doc.path}", doc.body, doc.body_line, in_files)
    # Lessons and questions may also cite documents written in the browser: those survive.
    for key, slug in _web_documents():
        numbers.setdefault(key, set()).add(slug)
    return Checked(
        sources=documents,
        problems=problems,
        counts=f"{len(documents)} văn bản",
        steps=len(documents),
        lookup=_resolver(numbers),
    )


def sync(checked: Checked, run: SyncRun) -> dict[str, service.SyncSummary]:
    """Bring file-sourced documents in line with the checked files."""
    summary = service.sync_documents(
        checked.sources, content_dir=run.root, upload_dir=run.upload_dir, progress=run.progress
    )
    return {"Văn bản": summary}


DOCUMENTS = ContentKind("documents", check, sync)
