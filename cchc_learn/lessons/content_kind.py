"""Modules and lessons as a kind of content file: content/modules/ for `content check|sync`.

It comes after the documents, whose lookup resolves the `[[number]]` links of its texts. Its own
lookup, for the kinds after it, says whether a lesson exists: (module slug, lesson slug) → bool,
counting live lessons written in the browser, which a sync keeps; with no lesson slug, whether
the module exists.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..content.kinds import Checked, ContentKind, Lookups, SyncRun
from ..content.summary import SyncSummary
from ..extensions import db
from .loader import load_modules
from .models import Lesson, Module
from .sync import sync_modules


def _web_lessons() -> set[tuple[str, str]]:
    """(module slug, lesson slug) of live lessons written in the browser."""
    try:
        rows = db.session.execute(
            select(Module.slug, Lesson.slug)
            .join(Lesson, Lesson.module_id == Module.id)
            .where(
                Module.source_path.is_(None), Module.archived.is_(False), Lesson.archived.is_(False)
            )
        )
        return {(m, x) for m, x in rows}
    except SQLAlchemyError:
        # `content check` may run before the database exists: the files alone are checked.
        db.session.rollback()
        return set()


def check(root: Path, lookups: Lookups) -> Checked:
    """Read, check and render every module folder."""
    modules, problems = load_modules(root, lookups.get("documents"))
    lessons = {(m.slug, lesson.slug) for m in modules for lesson in m.lessons} | _web_lessons()
    module_slugs = {m.slug for m in modules} | {m for m, _ in lessons}

    def exists(module: str, lesson: str | None = None) -> bool:
        return module in module_slugs if lesson is None else (module, lesson) in lessons

    lesson_count = sum(len(module.lessons) for module in modules)
    return Checked(
        sources=modules,
        problems=problems,
        counts=f"{len(modules)} chuyên đề, {lesson_count} bài học",
        steps=len(modules) + lesson_count,
        lookup=exists,
    )


def sync(checked: Checked, run: SyncRun) -> dict[str, SyncSummary]:
    """Bring file-sourced modules, lessons and images in line with the checked folders."""
    modules, lessons = sync_modules(checked.sources, progress=run.progress)
    return {"Chuyên đề": modules, "Bài học": lessons}


MODULES = ContentKind("modules", check, sync, after=("documents",))
