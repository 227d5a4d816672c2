"""Lessons that link to a knowledge-base document."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..kb.citations import Citation
from ..kb.models import Document
from ..textnorm import number_key
from .models import Lesson, Module
from .service import lesson_url

_LINK = re.compile(r"\[\[([^\]|\n]{1,80})(?:\|[^\]\n]*)?\]\]")


def lessons_citing(doc: Document) -> list[Citation]:
    """Published lessons whose text has [[number]] for doc's number (however typed)."""
    # The leading part before any accent or separator is typed the same way by everyone:
    # use it to let the database narrow the candidates, then compare folded numbers.
    lead = re.match(r"[0-9A-Za-z]+", doc.number)
    pattern = f"%[[{lead.group(0)}%" if lead else "%[[%"
    candidates = db.session.scalars(
        select(Lesson).join(Module, Module.id == Lesson.module_id)
        .where(Lesson.body_md.like(pattern), Lesson.published.is_(True),
               Lesson.archived.is_(False), Module.published.is_(True),
               Module.archived.is_(False))
        .options(selectinload(Lesson.module)).order_by(Module.order, Lesson.position)
    ).all()
    key = doc.number_key
    return [Citation("Bài học", f"{lesson.module.title} › {lesson.title}", lesson_url(lesson))
            for lesson in candidates
            if any(number_key(m.group(1)) == key for m in _LINK.finditer(lesson.body_md))]
