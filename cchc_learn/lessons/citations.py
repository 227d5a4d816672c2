"""Lessons that link to a knowledge-base document, and the stored links that find them."""

from __future__ import annotations

from sqlalchemy import event, inspect, select

from ..extensions import db
from ..kb.citations import Citation, cited_keys, citing, store
from ..kb.models import Document
from .models import Lesson, Module
from .service import lesson_path

KIND = "lesson"


# Built once: it runs on every document page.
_CITING = (
    select(Module.title, Module.slug, Lesson.title, Lesson.slug)
    .join(Module, Module.id == Lesson.module_id)
    .where(Lesson.id.in_(citing(KIND)), Lesson.published.is_(True), Lesson.archived.is_(False),
           Module.published.is_(True), Module.archived.is_(False))
    .order_by(Module.order, Lesson.position, Lesson.id)
)  # fmt: skip


def lessons_citing(doc: Document) -> list[Citation]:
    """Published lessons whose text has [[number]] for doc's number (however typed)."""
    rows = db.session.connection().execute(_CITING, {"number_key": doc.number_key})
    return [Citation("Bài học", f"{module_title} › {title}", lesson_path(module_slug, slug))
            for module_title, module_slug, title, slug in rows]  # fmt: skip


# Whatever saves a lesson (the editor, a restore, the content sync), its stored links follow
# its text in the same flush; publishing and archiving are applied when the links are read.
@event.listens_for(Lesson, "after_insert")
def _store_new(_mapper, connection, lesson: Lesson) -> None:
    store(connection, KIND, lesson.id, cited_keys(lesson.body_md))


@event.listens_for(Lesson, "after_update")
def _store_changed(_mapper, connection, lesson: Lesson) -> None:
    if inspect(lesson).attrs.body_md.history.has_changes():
        store(connection, KIND, lesson.id, cited_keys(lesson.body_md))


@event.listens_for(Lesson, "after_delete")
def _forget(_mapper, connection, lesson: Lesson) -> None:
    store(connection, KIND, lesson.id, ())
