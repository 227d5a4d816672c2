"""Where learning events are read: the source tables, as streams of `statements.Event`.

Five sources, each a table whose ids only grow: access events (`tracking`, the one writer of
lesson and document views, downloads and completions), quiz attempts (attempted when
submitted, passed or failed once graded), questions asked and answers posted (`qa`), and class
attendance (`classes`: a row present or late is an "attended"). This module only reads them;
no feature imports it.

Each source answers two questions: its events in a time window, in time order and in batches
(`events_between`, for the export), and the rows after a read position that still lack a
statement in the outbox (`uncollected`, for `outbox.collect`).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from ..classes.models import ATTENDED, Attendance, ClassSession, TrainingClass
from ..clock import LOCAL_TZ, utcnow
from ..coltypes import UTCDateTime
from ..extensions import db
from ..kb.models import Attachment, Document
from ..lessons.models import Lesson, Module
from ..org import service as org_service
from ..plans import counting
from ..plans.service import list_plans
from ..qa.models import Post, Question
from ..quiz.models import CLOSED_STATUSES, OPEN, Attempt, AttemptItem, Quiz
from ..tracking import events as tracking
from ..tracking.models import AccessEvent
from . import statements as st
from .models import XapiStatement

BATCH = 1000
REOPEN = timedelta(days=30)
"""Attendance at a session that started this recently is scanned again whatever the read
position, so a row corrected to present or late after the tick passed it is still collected."""


@dataclass(frozen=True)
class Stream:
    """One kind of event of a source: a query with columns sid, user_id and at, and a maker."""

    source: str
    kinds: tuple[str, ...]
    query: Callable[[], Select]
    time: Callable[[], Any]
    id: Any
    make: Callable[[Any], st.Event]
    reopen: Callable[[datetime], Any] | None = None
    """Rows still open to collection behind the read position (their rows may change)."""


# --- access events -----------------------------------------------------------------------------

_ACCESS_KINDS = {
    (tracking.LESSON, tracking.VIEW): st.LESSON_VIEW,
    (tracking.LESSON, tracking.COMPLETE): st.LESSON_COMPLETE,
    (tracking.DOCUMENT, tracking.VIEW): st.DOCUMENT_VIEW,
    (tracking.ATTACHMENT, tracking.DOWNLOAD): st.ATTACHMENT_DOWNLOAD,
}


def _access_query() -> Select:
    e = AccessEvent
    file_doc = aliased(Document)
    return (
        select(e.id.label("sid"), e.user_id, e.at, e.object_type, e.action,
               Lesson.slug.label("lesson_slug"), Lesson.title.label("lesson_title"),
               Module.slug.label("module_slug"), Module.title.label("module_title"),
               Document.slug.label("doc_slug"), Document.doc_type.label("doc_type"),
               Document.number.label("doc_number"),
               Attachment.id.label("file_id"), Attachment.title.label("file_title"),
               file_doc.slug.label("file_doc_slug"), file_doc.doc_type.label("file_doc_type"),
               file_doc.number.label("file_doc_number"))
        .outerjoin(Lesson, and_(e.object_type == tracking.LESSON, Lesson.id == e.object_id))
        .outerjoin(Module, Module.id == Lesson.module_id)
        .outerjoin(Document, and_(e.object_type == tracking.DOCUMENT, Document.id == e.object_id))
        .outerjoin(Attachment, and_(e.object_type == tracking.ATTACHMENT,
                                    Attachment.id == e.object_id))
        .outerjoin(file_doc, file_doc.id == Attachment.document_id)
        .where(or_(
            and_(e.object_type == tracking.LESSON,
                 e.action.in_((tracking.VIEW, tracking.COMPLETE)), Module.id.is_not(None)),
            and_(e.object_type == tracking.DOCUMENT, e.action == tracking.VIEW,
                 Document.id.is_not(None)),
            and_(e.object_type == tracking.ATTACHMENT, e.action == tracking.DOWNLOAD,
                 file_doc.id.is_not(None)),
        ))
    )  # fmt: skip


def _access_event(row) -> st.Event:
    kind = _ACCESS_KINDS[(row.object_type, row.action)]
    common = {"kind": kind, "source_id": row.sid, "user_id": row.user_id, "at": row.at}
    if row.object_type == tracking.LESSON:
        return st.Event(**common, path=f"/modules/{row.module_slug}/{row.lesson_slug}",
                        activity_type="lesson", name=row.lesson_title,
                        parent=(f"/modules/{row.module_slug}", "module", row.module_title))
    if row.object_type == tracking.DOCUMENT:
        return st.Event(**common, path=f"/kb/{row.doc_slug}", activity_type="document",
                        name=f"{row.doc_type} {row.doc_number}")
    return st.Event(**common, path=f"/kb/{row.file_doc_slug}/files/{row.file_id}",
                    activity_type="file", name=row.file_title,
                    parent=(f"/kb/{row.file_doc_slug}", "document",
                            f"{row.file_doc_type} {row.file_doc_number}"))


# --- quiz attempts -----------------------------------------------------------------------------


def _result_time():
    graded = (
        select(func.max(AttemptItem.graded_at))
        .where(AttemptItem.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(graded, Attempt.submitted_at), UTCDateTime())


def _attempt_query(result: bool) -> Select:
    a = Attempt
    at = _result_time() if result else a.submitted_at
    query = (
        select(a.id.label("sid"), a.user_id, at.label("at"), a.score, a.max_score, a.passed,
               Quiz.slug.label("quiz_slug"), Quiz.title.label("quiz_title"))
        .join(Quiz, Quiz.id == a.quiz_id)
        .where(a.status.in_(CLOSED_STATUSES), a.submitted_at.is_not(None))
    )
    return query.where(a.passed.is_not(None)) if result else query


def _attempt_event(kind: str):
    def make(row) -> st.Event:
        return st.Event(kind=kind, source_id=row.sid, user_id=row.user_id, at=row.at,
                        path=f"/quizzes/{row.quiz_slug}", activity_type="assessment",
                        name=row.quiz_title, score=row.score, max_score=row.max_score,
                        passed=row.passed)

    return make


# --- questions and answers ---------------------------------------------------------------------


def _question_query() -> Select:
    q = Question
    return select(q.id.label("sid"), q.asker_id.label("user_id"), q.asked_at.label("at"))


def _question_event(row) -> st.Event:
    return st.Event(kind=st.QUESTION_ASKED, source_id=row.sid, user_id=row.user_id, at=row.at,
                    path=f"/qa/{row.sid}", activity_type="question",
                    name=f"Câu hỏi số {row.sid}")


def _answer_query() -> Select:
    p = Post
    return select(p.id.label("sid"), p.author_id.label("user_id"), p.created_at.label("at"),
                  p.question_id).where(p.kind == "answer", p.author_id.is_not(None))


def _answer_event(row) -> st.Event:
    return st.Event(kind=st.ANSWER_POSTED, source_id=row.sid, user_id=row.user_id, at=row.at,
                    path=f"/qa/{row.question_id}", activity_type="question",
                    name=f"Câu hỏi số {row.question_id}", extra={"answer": row.sid})


# --- class attendance --------------------------------------------------------------------------


def _attendance_query() -> Select:
    a, s, c = Attendance, ClassSession, TrainingClass
    return (
        select(a.id.label("sid"), a.user_id, s.starts_at.label("at"), a.status,
               s.id.label("session_id"), s.topic, c.id.label("class_id"),
               c.title.label("class_title"), c.module_slugs, c.plan_slugs)
        .join(s, s.id == a.session_id)
        .join(c, c.id == s.class_id)
        .where(a.status.in_(ATTENDED))
    )  # fmt: skip


def _attendance_event(row) -> st.Event:
    day = row.at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")
    name = f"{row.class_title} — buổi ngày {day}" + (f": {row.topic}" if row.topic else "")
    modules = tuple(m for m in row.module_slugs or () if isinstance(m, str))
    plans = tuple(p for p in row.plan_slugs or () if isinstance(p, str))
    return st.Event(kind=st.CLASS_ATTENDED, source_id=row.sid, user_id=row.user_id, at=row.at,
                    path=f"/classes/{row.class_id}/sessions/{row.session_id}",
                    activity_type="meeting", name=name,
                    parent=(f"/classes/{row.class_id}", "course", row.class_title),
                    extra={"attendance": row.status}, serving=(modules, plans))


ACCESS, ATTEMPT, QUESTION, ANSWER = "access", "attempt", "question", "answer"
ATTENDANCE = "attendance"
SOURCES = (ACCESS, ATTEMPT, QUESTION, ANSWER, ATTENDANCE)

STREAMS = (
    Stream(ACCESS, tuple(_ACCESS_KINDS.values()), _access_query, lambda: AccessEvent.at,
           AccessEvent.id, _access_event),
    Stream(ATTEMPT, (st.QUIZ_ATTEMPT,), lambda: _attempt_query(False),
           lambda: Attempt.submitted_at, Attempt.id, _attempt_event(st.QUIZ_ATTEMPT)),
    Stream(ATTEMPT, (st.QUIZ_RESULT,), lambda: _attempt_query(True), _result_time, Attempt.id,
           _attempt_event(st.QUIZ_RESULT)),
    Stream(QUESTION, (st.QUESTION_ASKED,), _question_query, lambda: Question.asked_at,
           Question.id, _question_event),
    Stream(ANSWER, (st.ANSWER_POSTED,), _answer_query, lambda: Post.created_at, Post.id,
           _answer_event),
    Stream(ATTENDANCE, (st.CLASS_ATTENDED,), _attendance_query, lambda: ClassSession.starts_at,
           Attendance.id, _attendance_event,
           reopen=lambda now: ClassSession.starts_at >= now - REOPEN),
)


def with_units(found: Sequence[st.Event]) -> list[st.Event]:
    """The events with the code of each official's unit on the (Vietnamese) day of the event."""
    by_day: dict[Any, set[int]] = defaultdict(set)
    for event in found:
        by_day[event.at.astimezone(LOCAL_TZ).date()].add(event.user_id)
    codes: dict[tuple[Any, int], str] = {}
    for day, user_ids in by_day.items():
        for user_id, unit in org_service.current_units(sorted(user_ids), on=day).items():
            codes[(day, user_id)] = unit.code
    return [replace(e, unit_code=codes.get((e.at.astimezone(LOCAL_TZ).date(), e.user_id)))
            for e in found]


def with_plans(found: Sequence[st.Event]) -> list[st.Event]:
    """Class events with the live plans their class serves (`counting.serves`), as grouping."""
    if all(e.serving is None for e in found):
        return list(found)
    plans = list_plans()
    out = []
    for event in found:
        if event.serving is not None:
            modules, slugs = event.serving
            served = tuple((f"/reports/plans/{p.slug}", None, p.title) for p in plans
                           if counting.serves(p, list(modules), list(slugs)))
            event = replace(event, grouping=served, serving=None)
        out.append(event)
    return out


def finished(found: Sequence[st.Event]) -> list[st.Event]:
    """The events with what their statements need from other tables: units, plans."""
    return with_plans(with_units(found))


# --- the export: every stream in a window, in time order, in batches ---------------------------


def _stream_between(stream: Stream, start: datetime | None,
                    end: datetime | None) -> Iterator[st.Event]:
    time = stream.time()
    base = stream.query()
    if start is not None:
        base = base.where(time >= start)
    if end is not None:
        base = base.where(time < end)
    last: tuple[datetime, int] | None = None
    while True:
        query = base
        if last is not None:
            query = query.where(or_(time > last[0], and_(time == last[0], stream.id > last[1])))
        rows = db.session.execute(query.order_by(time, stream.id).limit(BATCH)).all()
        if not rows:
            return
        yield from finished([stream.make(row) for row in rows])
        last = (rows[-1].at, rows[-1].sid)
        if len(rows) < BATCH:
            return


def events_between(start: datetime | None, end: datetime | None) -> Iterator[st.Event]:
    """Every event in [start, end), in time order, read in batches.

    Each stream is in (time, id) order; at the same time the merge keeps the streams' order
    (an attempt's attempted before its result).
    """
    return heapq.merge(*(_stream_between(s, start, end) for s in STREAMS), key=lambda e: e.at)


# --- the outbox: rows after a position that still lack their statement ------------------------


def _collected(kinds: tuple[str, ...], id_column) -> Any:
    x = XapiStatement
    return exists().where(x.kind.in_(kinds), x.source_id == id_column)


def uncollected(source: str, position: int, limit: int) -> list[st.Event]:
    """Up to limit events of a source's rows after position (or still open: `Stream.reopen`)
    with no statement yet, by id."""
    found: list[st.Event] = []
    now = utcnow()
    for stream in (s for s in STREAMS if s.source == source):
        after = stream.id > position
        if stream.reopen is not None:
            after = or_(after, stream.reopen(now))
        rows = db.session.execute(
            stream.query()
            .where(after, ~_collected(stream.kinds, stream.id))
            .order_by(stream.id)
            .limit(limit)
        ).all()
        found.extend(stream.make(row) for row in rows)
    found.sort(key=lambda e: (e.source_id, e.kind))
    return finished(found[:limit])


def settled_position(source: str, position: int) -> int:
    """The highest id such that every visible row up to it needs nothing more collected.

    Access events, questions and answers never change once written: it is the highest id with
    a statement (rows the scan skips, such as a view of a deleted lesson, never get one).
    Attendance rows may change, but those of recent sessions are scanned again anyway
    (`REOPEN`), so their position moves the same way. A
    quiz attempt stays unfinished while it is open or waits for an essay's grade: the position
    stops before the first such attempt.
    """
    x = XapiStatement
    kinds = tuple(k for s in STREAMS if s.source == source for k in s.kinds)
    highest = db.session.scalar(select(func.max(x.source_id)).where(x.kind.in_(kinds)))
    highest = max(position, highest or 0)
    if source != ATTEMPT:
        return highest
    a = Attempt
    waiting = db.session.scalar(
        select(func.min(a.id)).where(
            a.id > position,
            or_(a.status == OPEN, and_(a.status.in_(CLOSED_STATUSES), a.passed.is_(None))),
        )
    )
    if waiting is not None:
        return max(position, min(highest, waiting - 1))
    return highest

