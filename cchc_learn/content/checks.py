"""Whole-tree content checks and sync, shared by the CLI and quickstart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..content.frontmatter import Problem
from ..extensions import db
from ..kb import service as kb_service
from ..kb.loader import DocumentSource, load_documents
from ..kb.models import Document
from ..lessons.loader import ModuleSource, load_modules
from ..lessons.models import Lesson, Module
from ..lessons.sync import sync_modules
from ..markup import MarkupInputTooLarge, render
from ..quiz.content import QuizContent, load_quiz_content, sync_quiz_content
from ..textnorm import number_key


@dataclass
class ContentTree:
    """Everything loaded from a content folder, with every problem found."""

    root: Path
    documents: list[DocumentSource] = field(default_factory=list)
    modules: list[ModuleSource] = field(default_factory=list)
    quizzes: QuizContent | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def lesson_count(self) -> int:
        """How many lessons the modules hold."""
        return sum(len(module.lessons) for module in self.modules)


def _link_problems(path: str, body: str, body_line: int, resolve) -> list[str]:
    try:
        rendered = render(body, doc_link_resolver=resolve)
    except MarkupInputTooLarge as exc:
        return [f"{path}:{body_line + exc.line - 1}: {exc}"]
    return [
        f"{path}:{body_line + link.line - 1}: liên kết [[{link.number}]] không trỏ tới "
        "văn bản nào trong cơ sở dữ liệu văn bản"
        for link in rendered.doc_links
        if not link.resolved
    ]


def _resolver(numbers: dict[str, set[str]]) -> Callable[[str], str | None]:
    def resolve(number: str) -> str | None:
        found = numbers.get(number_key(number), set())
        return kb_service.document_url(next(iter(found))) if len(found) == 1 else None

    return resolve


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


def _web_lessons() -> set[tuple[str, str]]:
    """(module slug, lesson slug) of live lessons written in the browser."""
    try:
        rows = db.session.execute(
            select(Module.slug, Lesson.slug)
            .join(Lesson, Lesson.module_id == Module.id)
            .where(Module.source_path.is_(None), Module.archived.is_(False),
                   Lesson.archived.is_(False))
        )
        return {(m, x) for m, x in rows}
    except SQLAlchemyError:
        db.session.rollback()
        return set()


def load_tree(root: Path) -> ContentTree:
    """Load and check the whole content folder without writing anything."""
    tree = ContentTree(root=root)
    if not root.is_dir():
        tree.problems.append(f"{root}:1: không tìm thấy thư mục nội dung")
        return tree
    documents, problems = load_documents(root)
    tree.documents = documents
    tree.problems.extend(str(p) for p in problems)
    tree.problems.extend(kb_service.check_attachments(documents, root))
    numbers: dict[str, set[str]] = {}
    for doc in documents:
        numbers.setdefault(doc.key, set()).add(doc.slug)
    for doc in documents:
        tree.problems.extend(
            _link_problems(f"{root.name}/{doc.path}", doc.body, doc.body_line, _resolver(numbers))
        )
    # Lessons may also cite documents written in the browser: those survive the sync.
    for key, slug in _web_documents():
        numbers.setdefault(key, set()).add(slug)
    resolve = _resolver(numbers)
    modules, problems = load_modules(root, resolve)
    tree.modules = modules
    tree.problems.extend(str(p) for p in problems)
    lessons = {(m.slug, lesson.slug) for m in modules for lesson in m.lessons} | _web_lessons()
    tree.quizzes = load_quiz_content(
        root,
        doc_exists=lambda number: resolve(number) is not None,
        lesson_exists=lambda module, lesson: (module, lesson) in lessons,
    )
    tree.problems.extend(tree.quizzes.problems)
    return tree


def sync_tree(
    tree: ContentTree, *, upload_dir: Path, progress: Callable[[object], None] | None = None
) -> dict[str, object]:
    """Import a checked tree in the current transaction; the caller commits or rolls back."""
    if tree.problems:
        raise ValueError("cannot sync a tree with problems")
    documents = kb_service.sync_documents(
        tree.documents, content_dir=tree.root, upload_dir=upload_dir, progress=progress
    )
    db.session.flush()
    modules, lessons = sync_modules(tree.modules, progress=progress)
    db.session.flush()
    summaries = {"Văn bản": documents, "Chuyên đề": modules, "Bài học": lessons}
    if tree.quizzes is not None:
        summaries.update(sync_quiz_content(tree.quizzes))
    return summaries


__all__ = ["ContentTree", "Problem", "load_tree", "sync_tree"]
