"""Question banks and quizzes kept as files: content/questions/ and content/quizzes/.

`load_quiz_content` reads and checks everything without writing; `sync_quiz_content` brings the
database in line with what was loaded, inside the caller's transaction. QUIZZES makes both a kind
of content file, after the documents and lessons that questions and quizzes refer to; its lookup,
for the kinds after it, says whether a quiz slug names a live quiz (from a file or the browser).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..content.frontmatter import parse_markdown, read_text
from ..content.kinds import Checked, ContentKind, Lookups, SyncRun
from ..content.problems import ContentError, Problem
from ..content.summary import SyncSummary
from ..content.versions import added_or_next, archive_gone
from ..extensions import db
from ..markup import MarkupInputTooLarge, render
from ..textnorm import is_slug
from .banks.rendering import doc_resolver, parse_ref
from .banks.service import apply_items, item_problems
from .errors import QuizError
from .formats import QuestionFormatError, format_for_path, parse_bank
from .formats.source import MAX_BANK_CHARS, decode_bank
from .models import Bank, Quiz
from .questions import ChoiceItem, Item, ShortAnswer, TrueFalse, drawn_types
from .quiz_loader import QuizSpec, read_quiz
from .quizzes.service import (
    Availability,
    apply_spec,
    database_availability,
    draw_problems,
    spec_hash,
    topic_key,
)

BANK_SUFFIXES = (".md", ".gift")
_BANK_KEY_LINE = re.compile(r"^bank\s*:")


@dataclass
class BankSource:
    """A checked bank file."""

    slug: str
    path: str  # relative to the content folder, e.g. questions/papi.md
    title: str
    description: str
    items: list[Item]


@dataclass
class QuizContent:
    """Every bank and quiz file of a content folder, with every problem found."""

    root: Path
    banks: list[BankSource] = field(default_factory=list)
    quizzes: list[QuizSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        """How many items the banks hold."""
        return sum(len(bank.items) for bank in self.banks)


def _shown(root: Path, path: Path) -> str:
    return f"{root.name}/{path.relative_to(root).as_posix()}"


def _texts(item: Item) -> list[str]:
    texts = [item.stem, item.explanation]
    if isinstance(item, ChoiceItem):
        texts += [t for option in item.options for t in (option.text, option.feedback)]
    elif isinstance(item, TrueFalse):
        texts += [item.feedback_true, item.feedback_false]
    elif isinstance(item, ShortAnswer):
        texts += [answer.feedback for answer in item.answers]
    return [text for text in texts if text]


def _item_checks(
    item: Item,
    shown: str,
    doc_exists: Callable[[str], bool],
    lesson_exists: Callable[[str, str], bool],
) -> list[Problem]:
    line = item.line or 1
    where = f"{shown}:{line}"
    problems = [
        Problem(shown, line, text.removeprefix(f"{where}: "))
        for text in item_problems(item, where, None)
    ]
    parsed = parse_ref(item.ref) if item.ref else None
    if parsed and parsed[0] == "doc" and not doc_exists(parsed[1]):
        problems.append(Problem(shown, line, f"tham chiếu {item.ref} không trỏ tới văn bản nào"))
    if parsed and parsed[0] == "lesson" and not lesson_exists(*parsed[1].split("/", 1)):
        problems.append(Problem(shown, line, f"tham chiếu {item.ref} không trỏ tới bài học nào"))
    if item.format != "markdown":
        return problems
    for text in _texts(item):
        try:
            rendered = render(text, doc_link_resolver=lambda n: "/kb/" if doc_exists(n) else None)
        except MarkupInputTooLarge as exc:
            problems.append(Problem(shown, line, str(exc)))
            continue
        problems += [
            Problem(shown, line, f"liên kết [[{link.number}]] không trỏ tới văn bản nào")
            for link in rendered.broken_links
        ]
    return problems


def _load_bank(
    root: Path, path: Path, doc_exists, lesson_exists, problems: list[Problem]
) -> BankSource | None:
    shown = _shown(root, path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BANK_CHARS * 4 + 1)
        text = decode_bank(data, shown)
        parsed = parse_bank(text, format_for_path(path) or "md", shown)
    except QuestionFormatError as exc:
        problems.extend(exc.problems)
        return None
    except OSError as exc:
        problems.append(Problem(shown, 1, f"không đọc được tệp ({exc.strerror})"))
        return None
    found = []
    slug = path.stem
    if not is_slug(slug):
        found.append(
            Problem(shown, 1, "tên tệp chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang")
        )
    if parsed.slug and parsed.slug != slug:
        line = next(
            (n for n, row in enumerate(text.split("\n")[:200], 1) if _BANK_KEY_LINE.match(row)), 1
        )
        found.append(Problem(shown, line, f"bank: {parsed.slug} phải trùng tên tệp ({slug})"))
    for item in parsed.items:
        found += _item_checks(item, shown, doc_exists, lesson_exists)
    problems.extend(found)
    if found:
        return None
    return BankSource(
        slug=slug,
        path=path.relative_to(root).as_posix(),
        title=parsed.title or slug,
        description=parsed.description,
        items=parsed.items,
    )


def _load_quiz(root: Path, path: Path, doc_exists, problems: list[Problem]) -> QuizSpec | None:
    shown = _shown(root, path)
    try:
        md = parse_markdown(read_text(path, shown), shown)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    spec, found = read_quiz(
        md.meta,
        path.stem,
        md.body,
        path=shown,
        line_of=md.line_of,
        entry_lines=md.lines_of_entries,
    )
    try:
        rendered = render(md.body, doc_link_resolver=lambda n: "/kb/" if doc_exists(n) else None)
        found += [
            Problem(
                shown,
                md.body_line + link.line - 1,
                f"liên kết [[{link.number}]] không trỏ tới văn bản nào",
            )
            for link in rendered.broken_links
        ]
    except MarkupInputTooLarge as exc:
        found.append(Problem(shown, md.body_line, str(exc)))
    problems.extend(found)
    if spec is None or found:
        return None
    spec.path, spec.body_line = path.relative_to(root).as_posix(), md.body_line
    return spec


def _browser_banks(essays: bool) -> Availability:
    try:
        return database_availability(only_browser_banks=True, essays=essays)
    except SQLAlchemyError:
        # `content check` may run before the database exists: the files alone are checked.
        db.session.rollback()
        return {}


def load_quiz_content(
    root: Path,
    *,
    doc_exists: Callable[[str], bool],
    lesson_exists: Callable[[str, str], bool],
) -> QuizContent:
    """Read and check every bank and quiz file under root; write nothing."""
    content = QuizContent(root=root)
    folder = root / "questions"
    paths = sorted(p for p in folder.glob("*") if p.suffix in BANK_SUFFIXES and p.is_file())
    seen: dict[str, str] = {}
    for path in paths:
        bank = _load_bank(root, path, doc_exists, lesson_exists, content.problems)
        if bank is None:
            continue
        if bank.slug in seen:
            content.problems.append(
                Problem(
                    _shown(root, path), 1, f"trùng mã ngân hàng {bank.slug} với {seen[bank.slug]}"
                )
            )
            continue
        seen[bank.slug] = _shown(root, path)
        content.banks.append(bank)
    available: dict[bool, Availability] = {}
    for essays in (False, True):
        available[essays] = _browser_banks(essays)
        types = drawn_types(essays)
        for bank in content.banks:
            available[essays][bank.slug] = Counter(
                topic_key(i.topic) for i in bank.items if i.type in types
            )
    for path in sorted((root / "quizzes").glob("*.md")):
        spec = _load_quiz(root, path, doc_exists, content.problems)
        if spec is None:
            continue
        found = draw_problems(
            spec.draws, available[spec.essays], essays=spec.essays, path=_shown(root, path)
        )
        if found:
            content.problems += found
            continue
        content.quizzes.append(spec)
    return content


def _bank_hash(source: BankSource) -> str:
    payload = [source.title, source.description, source.path]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def _sync_banks(content: QuizContent, resolver, banks: SyncSummary, items: SyncSummary) -> None:
    existing = {bank.slug: bank for bank in db.session.scalars(select(Bank))}
    for source in content.banks:
        bank = existing.get(source.slug)
        before = items.added + items.updated + items.archived
        if bank is None:
            bank = Bank(slug=source.slug, title=source.title)
            db.session.add(bank)
            banks.note("added", source.slug)
        changed = bank.content_hash != _bank_hash(source) or bank.archived
        bank.title, bank.description = source.title[:200], source.description
        bank.source_path, bank.archived = source.path, False
        bank.content_hash = _bank_hash(source)
        apply_items(bank, source.items, resolver, archive_missing=True, summary=items)
        if source.slug not in existing:
            continue
        if changed or items.added + items.updated + items.archived != before:
            banks.note("updated", source.slug)
        else:
            banks.note("unchanged", source.slug)
    names = {source.slug for source in content.banks}
    for bank in archive_gone(existing, names, banks):
        for row in bank.items:
            if not row.archived:
                row.archived = True
                items.note("archived", row.key)


def _sync_quizzes(content: QuizContent, resolver, quizzes: SyncSummary) -> None:
    existing = {quiz.slug: quiz for quiz in db.session.scalars(select(Quiz))}
    for spec in content.quizzes:
        quiz = existing.get(spec.slug)
        if quiz is not None and quiz.content_hash == spec_hash(spec, spec.path):
            if not quiz.archived:
                quizzes.note("unchanged", spec.slug)
                continue
        quiz = added_or_next(quiz, partial(Quiz, slug=spec.slug, version=1), spec.slug, quizzes)
        apply_spec(quiz, spec, resolver)
    archive_gone(existing, {spec.slug for spec in content.quizzes}, quizzes)


def sync_quiz_content(content: QuizContent, *, actor=None) -> dict[str, SyncSummary]:
    """Bring banks, items and quizzes in line with checked files; the caller commits.

    Run after the documents are synced (references resolve against them). Unchanged files
    change nothing; a changed item or quiz becomes a new version; what a file no longer holds is
    archived, never deleted, so past attempts keep their items. `actor` is who ran the sync.
    """
    del actor  # banks and quizzes keep versions, not per-author revisions
    if content.problems:
        raise ValueError("cannot sync quiz content with problems")
    resolver = doc_resolver()
    banks, items, quizzes = SyncSummary(), SyncSummary(), SyncSummary()
    try:
        _sync_banks(content, resolver, banks, items)
        db.session.flush()
        _sync_quizzes(content, resolver, quizzes)
        db.session.flush()
    except QuizError as exc:
        raise ValueError(str(exc)) from exc
    return {"Ngân hàng câu hỏi": banks, "Câu hỏi": items, "Bài kiểm tra": quizzes}


def check(root: Path, lookups: Lookups) -> Checked:
    """Read and check every bank and quiz file against the documents and lessons."""
    documents = lookups.get("documents")
    lessons = lookups.get("modules")
    content = load_quiz_content(
        root,
        doc_exists=lambda number: documents is not None and documents(number) is not None,
        lesson_exists=lambda module, lesson: lessons is not None and lessons(module, lesson),
    )
    slugs = {spec.slug for spec in content.quizzes} | _browser_quizzes()
    return Checked(
        sources=content,
        problems=content.problems,
        counts=f"{len(content.banks)} ngân hàng câu hỏi ({content.item_count} câu), "
        f"{len(content.quizzes)} bài kiểm tra",
        lookup=lambda slug: slug in slugs,
    )


def _browser_quizzes() -> set[str]:
    """Slugs of live quizzes written in the browser, which a sync keeps."""
    try:
        return set(
            db.session.scalars(
                select(Quiz.slug).where(Quiz.source_path.is_(None), Quiz.archived.is_(False))
            )
        )
    except SQLAlchemyError:
        db.session.rollback()
        return set()


def sync(checked: Checked, run: SyncRun) -> dict[str, SyncSummary]:
    """Bring banks, items and quizzes in line with the checked files."""
    return sync_quiz_content(checked.sources)


QUIZZES = ContentKind("quizzes", check, sync, after=("documents", "modules"))
