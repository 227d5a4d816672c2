"""A small province, required materials and a plan, and ways to record what officials did."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from cchc_learn.auth.models import User
from cchc_learn.clock import LOCAL_TZ, set_clock
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Attachment, Document
from cchc_learn.lessons.models import Lesson, LessonCompletion, Module
from cchc_learn.plans import service
from cchc_learn.quiz.models import Attempt, Quiz
from cchc_learn.tracking import events

TODAY = datetime(2026, 6, 30, 5, 0, tzinfo=UTC)
"""The moment the report and page tests run at (30 June 2026, noon in Vietnam)."""


@pytest.fixture(autouse=True)
def fixed_clock():
    """Stop the clock at TODAY for every test of a module that imports this fixture."""
    set_clock(lambda: TODAY)
    yield
    set_clock(None)


PLAN_TEXT = """---
title: Kế hoạch thử {year}
starts: {year}-01-01
ends: {year}-12-31
audience:
  units: [{units}]
  levels: [{levels}]
required:
  modules: [m1]
  lessons: []
  documents: ["1/QĐ-UBND"]
{quiz}targets:
  accessed: 100
  trained: 85
---
Mô tả kế hoạch thử.
"""


def at(day: date, hour: int = 10) -> datetime:
    """A local time on day, as aware UTC."""
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)


def make_materials(app, *, lessons: int = 2) -> dict[str, int]:
    """Module m1 with published lessons, document 1/QĐ-UBND with a file, quiz kt."""
    with app.app_context():
        declare_write()
        module = Module(slug="m1", title="Chuyên đề 1", summary="", topics=[], order=1,
                        audience=[], published=True)  # fmt: skip
        for i in range(1, lessons + 1):
            module.lessons.append(
                Lesson(slug=f"l{i}", position=i, title=f"Bài {i}", minutes=5, body_md="x",
                       body_html="<p>x</p>", published=True)  # fmt: skip
            )
        doc = Document(slug="1-qd-ubnd", number="1/QĐ-UBND", number_key="1/qd-ubnd",
                       doc_type="Quyết định", issuer="UBND tỉnh", issued=date(2025, 1, 1),
                       summary="Văn bản", body_md="x", body_html="<p>x</p>")  # fmt: skip
        doc.attachments.append(
            Attachment(title="PDF", original_name="a.pdf", stored_name="a.pdf",
                       content_type="application/pdf", size=1, sha256="0" * 64)  # fmt: skip
        )
        quiz = Quiz(slug="kt", title="Kiểm tra", draws=[], pass_mark=80.0)
        db.session.add_all([module, doc, quiz])
        db.session.commit()
        ids = {f"l{i + 1}": lesson.id for i, lesson in enumerate(module.lessons)}
        ids.update(doc=doc.id, attachment=doc.attachments[0].id, quiz=quiz.id)
        return ids


def make_plan(app, *, year: int = 2026, units: str = "TINH", levels: str = "",
              quiz: bool = True, slug: str = "ke-hoach-thu",
              starts: date | None = None) -> None:  # fmt: skip
    """Write a plan through the browser service (as the first admin); from 1 January or starts."""
    text = PLAN_TEXT.format(
        year=year, units=units, levels=levels, quiz="quiz: kt\n" if quiz else ""
    )
    if starts is not None:
        text = text.replace(f"starts: {year}-01-01", f"starts: {starts.isoformat()}")
    with app.app_context():
        declare_write()
        actor = db.session.scalar(select(User).order_by(User.id))
        service.save_plan(None, slug, text, actor)


def record(app, user_id: int, access: events.Access, when: datetime) -> None:
    """Record one event through the one writer."""
    with app.app_context():
        declare_write()
        events.record(user_id, access, at=when)
        db.session.commit()


def view_all(app, user_id: int, ids: dict[str, int], when: datetime, lessons=("l1", "l2")):
    """View every required lesson and the document."""
    for name in lessons:
        record(app, user_id, events.lesson_view(ids[name], 1), when)
    record(app, user_id, events.document_view(ids["doc"], 1), when)


def complete_all(app, user_id: int, ids: dict[str, int], when: datetime, lessons=("l1", "l2")):
    """Complete every required lesson (with the completion rows the lesson pages read)."""
    for name in lessons:
        with app.app_context():
            declare_write()
            db.session.add(LessonCompletion(user_id=user_id, lesson_id=ids[name],
                                            lesson_version=1, completed_at=when))  # fmt: skip
            events.record(user_id, events.lesson_completion(ids[name], 1), at=when)
            db.session.commit()


def pass_quiz(app, user_id: int, quiz_id: int, when: datetime, passed: bool = True) -> None:
    """A submitted, graded attempt."""
    with app.app_context():
        declare_write()
        number = 1 + len(db.session.scalars(
            select(Attempt.id).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id)
        ).all())  # fmt: skip
        db.session.add(
            Attempt(quiz_id=quiz_id, user_id=user_id, number=number, seed=1, status="submitted",
                    started_at=when, submitted_at=when, score=9.0 if passed else 2.0,
                    max_score=10.0, pass_mark=80.0, passed=passed)  # fmt: skip
        )
        db.session.commit()


def sign_in_at(app, user_id: int, when: datetime) -> None:
    """Set the first sign-in time."""
    with app.app_context():
        declare_write()
        user = db.session.get(User, user_id)
        user.first_login_at = user.last_login_at = when
        db.session.commit()
