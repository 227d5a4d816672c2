"""How lessons reach the search index (a module change re-indexes its lessons)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..search.documents import PUBLIC, IndexDocument
from ..search.providers import Provider
from .models import Lesson, Module
from .service import lesson_url


def _visible(lesson: Lesson) -> bool:
    module = lesson.module
    return (lesson.published and not lesson.archived and module.published
            and not module.archived)


def _as_index(lesson: Lesson) -> IndexDocument:
    return IndexDocument(
        key=f"lesson:{lesson.id}", kind="lesson", id=lesson.id, title=lesson.title,
        summary=lesson.summary, body=lesson.plain_text, topics=tuple(lesson.module.topics or ()),
        url=lesson_url(lesson), audience=(PUBLIC,), updated=lesson.updated_at,
    )


def load(ids: list[int]) -> dict[int, IndexDocument | None]:
    """Index documents for published lessons; hidden or missing ones map to None (removed)."""
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.id.in_(ids)).options(selectinload(Lesson.module))).all()
    found = {x.id: (_as_index(x) if _visible(x) else None) for x in lessons}
    return {i: found.get(i) for i in ids}


def all_ids() -> Iterable[int]:
    """Every lesson that may be found."""
    return db.session.scalars(
        select(Lesson.id).join(Module, Module.id == Lesson.module_id).where(
            Lesson.published.is_(True), Lesson.archived.is_(False),
            Module.published.is_(True), Module.archived.is_(False))).all()


def lessons_of_modules(module_ids: list[int]) -> list[tuple[str, int]]:
    """A module change touches every lesson in it."""
    rows = db.session.scalars(select(Lesson.id).where(Lesson.module_id.in_(module_ids))).all()
    return [("lesson", lesson_id) for lesson_id in rows]


LESSONS = Provider(kind="lesson", load=load, all_ids=all_ids)
MODULES = Provider(kind="module", load=lambda ids: {}, all_ids=lambda: (),
                   expand=lessons_of_modules)
