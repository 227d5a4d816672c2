"""Bring file-sourced modules, lessons and images in line with content/modules/."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import select

from ..clock import utcnow
from ..content.summary import SyncSummary
from ..content.versions import added_or_next, archive_gone
from ..extensions import db
from ..search.models import log_change
from .loader import AssetSource, LessonSource, ModuleSource
from .models import Lesson, Module, ModuleAsset
from .revisions import (
    add_revision,
    content_hash,
    lesson_snapshot,
    module_snapshot,
)

Progress = Callable[[object], None]
Source = ModuleSource | LessonSource


def _message(path: str, adopted: bool) -> str:
    if adopted:
        return f"Chuyển sang quản lý bằng tệp content/{path}"
    return f"Đồng bộ từ content/{path}"


def _unchanged(row: Module | Lesson | None, digest: str, source: Source) -> bool:
    """Whether the stored row already says what the file says, from that file."""
    return (
        row is not None
        and row.content_hash == digest
        and not row.archived
        and row.source_path == source.path
    )


def _record(row: Module | Lesson, source: Source, digest: str, actor_id: int | None, adopted: bool):
    """Mark a written row as coming from its file, then keep it as a revision."""
    row.source_path, row.archived = source.path, False
    row.content_hash, row.updated_at = digest, utcnow()
    db.session.flush()
    add_revision(row, actor_id, _message(source.path, adopted))
    log_change("module" if isinstance(row, Module) else "lesson", row.id)


def _sync_module(
    module: Module | None, source: ModuleSource, summary: SyncSummary, actor_id: int | None
) -> Module:
    digest = content_hash(module_snapshot(source), source.body)
    if _unchanged(module, digest, source):
        summary.note("unchanged", source.slug)
        if module.body_html != source.html:
            module.body_html = source.html  # a newer renderer: same content, fresher HTML
        return module
    adopted = module is not None and not module.from_file
    make = partial(Module, slug=source.slug, version=1)
    module = added_or_next(module, make, source.slug, summary)
    module.title, module.summary = source.title, source.summary
    module.topics, module.order = list(source.topics), source.order
    module.audience, module.published = list(source.audience), source.published
    module.body_md, module.body_html = source.body, source.html
    _record(module, source, digest, actor_id, adopted)
    return module


def _sync_assets(module: Module, assets: dict[str, AssetSource]) -> None:
    have = {asset.name: asset for asset in module.assets}
    for name, source in assets.items():
        asset = have.get(name)
        if asset is None:
            asset = ModuleAsset(name=name)
            module.assets.append(asset)
        elif asset.sha256 == source.sha256 and asset.content_type == source.content_type:
            continue
        asset.content_type, asset.data = source.content_type, source.data
        asset.size, asset.sha256 = len(source.data), source.sha256
    for name, asset in have.items():
        if name not in assets:
            module.assets.remove(asset)


def _refresh_html(lesson: Lesson, source: LessonSource) -> None:
    if (lesson.body_html, lesson.toc_html, lesson.plain_text) != (
        source.html,
        source.toc_html,
        source.plain_text,
    ):
        lesson.body_html, lesson.toc_html = source.html, source.toc_html
        lesson.plain_text = source.plain_text
        log_change("lesson", lesson.id)


def _sync_lesson(
    module: Module,
    lesson: Lesson | None,
    source: LessonSource,
    summary: SyncSummary,
    actor_id: int | None,
) -> None:
    digest = content_hash(lesson_snapshot(source), source.body)
    if _unchanged(lesson, digest, source):
        summary.note("unchanged", source.slug)
        _refresh_html(lesson, source)
        return
    adopted = lesson is not None and not lesson.from_file
    make = partial(Lesson, module=module, slug=source.slug, version=1)
    lesson = added_or_next(lesson, make, source.slug, summary)
    lesson.position, lesson.title, lesson.minutes = source.position, source.title, source.minutes
    lesson.summary, lesson.published = source.summary, source.published
    lesson.body_md, lesson.body_html, lesson.toc_html = source.body, source.html, source.toc_html
    lesson.plain_text = source.plain_text
    _record(lesson, source, digest, actor_id, adopted)


def _archive_lesson(lesson: Lesson, summary: SyncSummary) -> None:
    lesson.archived = True
    lesson.updated_at = utcnow()
    summary.note("archived", lesson.slug)
    log_change("lesson", lesson.id)


def sync_modules(
    sources: list[ModuleSource], *, actor_id: int | None = None, progress: Progress | None = None
) -> tuple[SyncSummary, SyncSummary]:
    """Import checked module sources in the caller's transaction.

    Returns the module and the lesson summaries. Anything that came from a file that is gone
    is archived, never deleted, so access history and completions keep pointing at it.
    """
    modules, lessons = SyncSummary(), SyncSummary()
    existing = {m.slug: m for m in db.session.scalars(select(Module))}
    for source in sources:
        module = _sync_module(existing.get(source.slug), source, modules, actor_id)
        _sync_assets(module, source.assets)
        have = {lesson.slug: lesson for lesson in module.lessons}
        for lesson_source in source.lessons:
            _sync_lesson(module, have.get(lesson_source.slug), lesson_source, lessons, actor_id)
            if progress:
                progress(lesson_source)
        wanted = {lesson.slug for lesson in source.lessons}
        for slug, lesson in have.items():
            if slug not in wanted and not lesson.archived:
                _archive_lesson(lesson, lessons)
        if progress:
            progress(source)
    for module in archive_gone(existing, {source.slug for source in sources}, modules):
        log_change("module", module.id)
        for lesson in module.lessons:
            if not lesson.archived:
                _archive_lesson(lesson, lessons)
    db.session.flush()
    return modules, lessons
