"""Studying: modules with an official's progress, lessons, completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, defer

from ..clock import utcnow
from ..database import transactional
from ..extensions import db
from ..search.kept import kept
from ..tracking import events
from .models import Lesson, LessonCompletion, Module, ModuleAsset

_LIVE_LESSON = (Lesson.published.is_(True), Lesson.archived.is_(False))
_LIVE_MODULE = (Module.published.is_(True), Module.archived.is_(False))


@dataclass(frozen=True)
class ModuleProgress:
    """A module with how far one official got: completed of total visible lessons."""

    module: Module
    total: int
    completed: int
    minutes: int

    @property
    def percent(self) -> int:
        """Completed share, rounded down, 0 for an empty module."""
        return self.completed * 100 // self.total if self.total else 0


@dataclass(frozen=True)
class LessonRow:
    """A lesson in a module's list, with when the official completed it (or None)."""

    lesson: Lesson
    completed_at: datetime | None


def module_url(module: Module) -> str:
    """Path of a module page."""
    return f"/modules/{module.slug}/"


def lesson_url(lesson: Lesson) -> str:
    """Path of a lesson page."""
    return lesson_path(lesson.module.slug, lesson.slug)


def lesson_path(module_slug: str, lesson_slug: str) -> str:
    """Path of a lesson page, from the two slugs."""
    return f"/modules/{module_slug}/{lesson_slug}"


def modules_with_progress(user_id: int, *, include_empty: bool = False) -> list[ModuleProgress]:
    """Published modules in order, with the official's progress (three grouped queries in one).

    A module without a published lesson is left out, except for authors (include_empty).
    """
    totals = (
        select(
            Lesson.module_id,
            func.count(Lesson.id).label("total"),
            func.coalesce(func.sum(Lesson.minutes), 0).label("minutes"),
        )
        .where(*_LIVE_LESSON)
        .group_by(Lesson.module_id)
        .subquery()
    )
    done = (
        select(Lesson.module_id, func.count(LessonCompletion.id).label("done"))
        .join(LessonCompletion, LessonCompletion.lesson_id == Lesson.id)
        .where(LessonCompletion.user_id == user_id, *_LIVE_LESSON)
        .group_by(Lesson.module_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Module,
            func.coalesce(totals.c.total, 0),
            func.coalesce(done.c.done, 0),
            func.coalesce(totals.c.minutes, 0),
        )
        .outerjoin(totals, totals.c.module_id == Module.id)
        .outerjoin(done, done.c.module_id == Module.id)
        .where(*_LIVE_MODULE)
        .order_by(Module.order, Module.title, Module.id)
    ).all()
    return [
        ModuleProgress(m, int(total), int(completed), int(minutes))
        for m, total, completed, minutes in rows
        if total or include_empty
    ]


def get_module(slug: str, *, drafts: bool = False) -> Module | None:
    """A live module by slug; unpublished ones only when drafts may be seen."""
    module = db.session.scalar(select(Module).where(Module.slug == slug[:80]))
    if module is None or module.archived or not (module.published or drafts):
        return None
    return module


def _rows(drafts: bool) -> Select:
    """Live lessons (published ones only, unless drafts) with the completion time of :user_id."""
    query = (
        select(Lesson, LessonCompletion.completed_at)
        .outerjoin(
            LessonCompletion,
            and_(
                LessonCompletion.lesson_id == Lesson.id,
                LessonCompletion.user_id == bindparam("user_id"),
            ),
        )
        .where(Lesson.archived.is_(False))
        .order_by(Lesson.position, Lesson.id)
    )
    return query if drafts else query.where(Lesson.published.is_(True))


# What a lesson page never shows stays unread (texts, and columns that cost a conversion).
_NOT_ON_LESSON_PAGE = (
    contains_eager(Lesson.module).options(
        *(defer(c) for c in (Module.body_md, Module.body_html, Module.summary, Module.topics,
                             Module.audience, Module.created_at, Module.updated_at))
    ),
    *(defer(c) for c in (Lesson.body_md, Lesson.plain_text, Lesson.content_hash,
                         Lesson.created_at, Lesson.updated_at)),
)  # fmt: skip


def _module_lessons(drafts: bool) -> Select:
    """_rows of the live module :slug, with the module; what the page never shows unread."""
    query = (
        _rows(drafts)
        .join(Module, Module.id == Lesson.module_id)
        .options(*_NOT_ON_LESSON_PAGE)
        .where(Module.slug == bindparam("slug"), Module.archived.is_(False))
    )
    return query if drafts else query.where(Module.published.is_(True))


# Built once, for officials and for authors: these run on every lesson and module page, where
# building a statement costs more than SQLite takes to run it.
_ROWS_OF_MODULE = {
    drafts: _rows(drafts).where(Lesson.module_id == bindparam("module_id"))
    for drafts in (False, True)
}
_LESSONS_OF_MODULE = {drafts: _module_lessons(drafts) for drafts in (False, True)}


def lesson_rows(module: Module, user_id: int, *, drafts: bool = False) -> list[LessonRow]:
    """The module's lessons in order, each with the official's completion time."""
    params = {"user_id": user_id, "module_id": module.id}
    return [LessonRow(lesson, at) for lesson, at in db.session.execute(
        _ROWS_OF_MODULE[drafts], params)]  # fmt: skip


def module_lessons(slug: str, user_id: int, *, drafts: bool = False) -> list[LessonRow]:
    """A live module's lessons as lesson_rows gives them, with the module, in one query.

    Empty when there is no such module to be seen, or it has no lesson to be seen. What a
    lesson page does not show (the Markdown sources, the module's own text) stays unread.
    """
    params = {"user_id": user_id, "slug": slug[:80]}
    return [LessonRow(lesson, at) for lesson, at in db.session.execute(
        _LESSONS_OF_MODULE[drafts], params)]  # fmt: skip


_COMPLETED = select(LessonCompletion.lesson_id, LessonCompletion.completed_at).where(
    LessonCompletion.user_id == bindparam("user_id"),
    LessonCompletion.lesson_id.in_(bindparam("lesson_ids", expanding=True)),
)


def _kept_lessons(slug: str, drafts: bool) -> list[Lesson]:
    rows = module_lessons(slug, 0, drafts=drafts)
    lessons = [row.lesson for row in rows]
    # Kept beyond this request: they must not be refreshed or expired by this session.
    for obj in {*lessons, *(lesson.module for lesson in lessons)}:
        db.session.expunge(obj)
    return lessons


def lesson_page_rows(slug: str, user_id: int, *, drafts: bool = False) -> list[LessonRow]:
    """module_lessons for a lesson page: the lessons kept per worker until the change log moves
    (`search.kept`: every save of a module or lesson logs a change), the official's
    completions read fresh."""
    key = (slug[:80], drafts)
    lessons = kept("module_lessons").get(key, lambda: _kept_lessons(*key))
    if not lessons:
        return []
    params = {"user_id": user_id, "lesson_ids": [lesson.id for lesson in lessons]}
    done = dict(db.session.connection().execute(_COMPLETED, params).all())
    return [LessonRow(lesson, done.get(lesson.id)) for lesson in lessons]


def progress_of(rows: list[LessonRow]) -> ModuleProgress | None:
    """Progress over a module's published lessons (drafts shown to trainers do not count)."""
    if not rows:
        return None
    live = [r for r in rows if r.lesson.published]
    return ModuleProgress(
        rows[0].lesson.module,
        len(live),
        sum(1 for r in live if r.completed_at is not None),
        sum(r.lesson.minutes for r in live),
    )


def completion(user_id: int, lesson_id: int) -> LessonCompletion | None:
    """The official's completion of a lesson, if any."""
    return db.session.scalar(
        select(LessonCompletion).where(
            LessonCompletion.user_id == user_id, LessonCompletion.lesson_id == lesson_id
        )
    )


@transactional
def complete_lesson(user_id: int, lesson: Lesson) -> tuple[LessonCompletion, bool]:
    """Record that the official finished the lesson, with its access event; commit.

    Returns the completion and whether it is new. Completing twice changes nothing.
    """
    existing = completion(user_id, lesson.id)
    if existing is not None:
        return existing, False
    row = LessonCompletion(
        user_id=user_id, lesson_id=lesson.id, lesson_version=lesson.version, completed_at=utcnow()
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # Another request of the same official got there first (double click, two tabs).
        existing = completion(user_id, lesson.id)
        if existing is None:
            raise
        return existing, False
    events.record(user_id, events.lesson_completion(lesson.id, lesson.version), at=row.completed_at)
    return row, True


def get_asset(module: Module, name: str) -> ModuleAsset | None:
    """A module image by its path below assets/."""
    return db.session.scalar(
        select(ModuleAsset).where(
            ModuleAsset.module_id == module.id, ModuleAsset.name == name[:200]
        )
    )
