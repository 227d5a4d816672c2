"""Look-ups for the authoring pages: every live module and lesson, drafts included."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from .models import Lesson, LessonRevision, Module, ModuleRevision

MAX_ID = 2**31 - 1  # larger numbers in a URL would overflow PostgreSQL's integer


@dataclass(frozen=True)
class ModuleRow:
    """A module in the authoring list, with its lesson counts."""

    module: Module
    lessons: int
    published: int


def modules_for_authoring() -> list[ModuleRow]:
    """Every live module, drafts included, with lesson counts from one grouped query."""
    counts = (
        select(
            Lesson.module_id,
            func.count(Lesson.id).label("lessons"),
            func.sum(case((Lesson.published.is_(True), 1), else_=0)).label("published"),
        )
        .where(Lesson.archived.is_(False))
        .group_by(Lesson.module_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Module, func.coalesce(counts.c.lessons, 0), func.coalesce(counts.c.published, 0))
        .outerjoin(counts, counts.c.module_id == Module.id)
        .where(Module.archived.is_(False))
        .order_by(Module.order, Module.title, Module.id)
    ).all()
    return [ModuleRow(m, int(n), int(p)) for m, n, p in rows]


def module_for_authoring(slug: str) -> Module | None:
    """A live module by slug, published or not."""
    module = db.session.scalar(select(Module).where(Module.slug == slug[:80]))
    return module if module is not None and not module.archived else None


def lesson_for_authoring(module: Module, slug: str) -> Lesson | None:
    """A live lesson of the module by slug, published or not."""
    lesson = db.session.scalar(
        select(Lesson).where(Lesson.module_id == module.id, Lesson.slug == slug[:80])
    )
    return lesson if lesson is not None and not lesson.archived else None


def live_lessons(module: Module) -> list[Lesson]:
    """The module's live lessons in order, drafts included."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.module_id == module.id, Lesson.archived.is_(False))
            .order_by(Lesson.position, Lesson.id)
        )
    )


def module_revision(module: Module, revision_id: int) -> ModuleRevision | None:
    """One revision of the module."""
    revision = db.session.get(ModuleRevision, revision_id) if revision_id <= MAX_ID else None
    return revision if revision is not None and revision.module_id == module.id else None


def lesson_revision(lesson: Lesson, revision_id: int) -> LessonRevision | None:
    """One revision of the lesson."""
    revision = db.session.get(LessonRevision, revision_id) if revision_id <= MAX_ID else None
    return revision if revision is not None and revision.lesson_id == lesson.id else None
