"""What counts as reaching the material, the one writer of access events, and their readers.

An official *accessed* a lesson or a document when a page showed it to them (a view) or they
downloaded one of its files (a download, recorded against the attachment with the document's
version); they *completed* a lesson when they confirmed finishing it. Every event keeps the
version it concerned. Reports read events only through this module: `accessed` and `completed`
for a few officials, `reached_counts`, `reached_since` and `reached_materials` as SQL for many.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, distinct, func, insert, or_, select

from ..clock import utcnow
from ..database import short_write, writes_declared
from ..extensions import db
from .models import AccessEvent

LESSON, DOCUMENT, ATTACHMENT = "lesson", "document", "attachment"
VIEW, DOWNLOAD, COMPLETE = "view", "download", "complete"
ACCESS_ACTIONS = (VIEW, DOWNLOAD)
"""The actions that count as having accessed something."""

_INSERT = insert(AccessEvent.__table__)


@dataclass(frozen=True)
class Ref:
    """Something an official can reach: a lesson, a document or an attachment, by id."""

    type: str
    id: int


@dataclass(frozen=True)
class Access:
    """One thing an official did with one version of something."""

    ref: Ref
    version: int | None
    action: str


@dataclass(frozen=True)
class Reached:
    """An official reached one version of something; first_at is the earliest time in range."""

    user_id: int
    ref: Ref
    version: int | None
    first_at: datetime


def lesson_view(lesson_id: int, version: int) -> Access:
    """A lesson page shown to an official."""
    return Access(Ref(LESSON, lesson_id), version, VIEW)


def document_view(document_id: int, version: int) -> Access:
    """A document page shown to an official."""
    return Access(Ref(DOCUMENT, document_id), version, VIEW)


def attachment_download(attachment_id: int, document_version: int) -> Access:
    """A document's file downloaded by an official."""
    return Access(Ref(ATTACHMENT, attachment_id), document_version, DOWNLOAD)


def lesson_completion(lesson_id: int, version: int) -> Access:
    """An official confirmed finishing a lesson."""
    return Access(Ref(LESSON, lesson_id), version, COMPLETE)


def record(user_id: int, access: Access, *, at: datetime | None = None) -> None:
    """Record one access event.

    In a unit of work that writes (a completion), the event joins it and is committed with the
    rest by its owner, all or nothing. In one that only reads (a page about to be sent), the
    event is committed before this returns, in a short writing transaction of its own: on
    SQLite no write lock is held while the page renders, and a failed write raises (the user
    gets an error page instead of a page whose view went unrecorded).
    """
    values = {
        "user_id": user_id,
        "object_type": access.ref.type,
        "object_id": access.ref.id,
        "version": access.version,
        "action": access.action,
        "at": at or utcnow(),
    }
    if writes_declared():
        db.session.add(AccessEvent(**values))
        return
    with short_write():
        # One plain INSERT: a page view has no object to track, flush or expire afterwards.
        db.session.connection().execute(_INSERT, values)


def accessed(
    user_ids: Iterable[int],
    refs: Iterable[Ref],
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Reached]:
    """Who viewed or downloaded which version of refs in [start, end), earliest time each."""
    return _reached(ACCESS_ACTIONS, user_ids, refs, start, end)


def completed(
    user_ids: Iterable[int],
    lesson_ids: Iterable[int],
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Reached]:
    """Who completed which version of the lessons in [start, end), earliest time each."""
    return _reached((COMPLETE,), user_ids, (Ref(LESSON, i) for i in lesson_ids), start, end)


def _reached(
    actions: tuple[str, ...],
    user_ids: Iterable[int],
    refs: Iterable[Ref],
    start: datetime | None,
    end: datetime | None,
) -> list[Reached]:
    users = sorted(set(user_ids))
    by_type: dict[str, set[int]] = {}
    for ref in refs:
        by_type.setdefault(ref.type, set()).add(ref.id)
    if not users or not by_type:
        return []
    e = AccessEvent
    query = (
        select(e.user_id, e.object_type, e.object_id, e.version, func.min(e.at))
        .where(
            e.user_id.in_(users),
            e.action.in_(actions),
            or_(*(and_(e.object_type == t, e.object_id.in_(sorted(ids)))
                  for t, ids in sorted(by_type.items()))),
        )
        .group_by(e.user_id, e.object_type, e.object_id, e.version)
        .order_by(e.user_id, e.object_type, e.object_id, e.version)
    )  # fmt: skip
    if start is not None:
        query = query.where(e.at >= start)
    if end is not None:
        query = query.where(e.at < end)
    return [
        Reached(user_id, Ref(object_type, object_id), version, first_at)
        for user_id, object_type, object_id, version, first_at in db.session.execute(query)
    ]


# --- Counting in SQL, for reports -------------------------------------------------------------
#
# A report asks, per official, how many of a set of materials they reached in a period. A
# material is one or more refs (a document is reached by viewing it or downloading one of its
# files), numbered by the caller; these build the subqueries, so a report stays one query
# whatever the number of officials.

Materials = Mapping[Ref, int]
"""Each ref that reaches a material, mapped to the material's number."""


def _material_of(materials: Materials):
    groups: dict[tuple[str, int], list[int]] = {}
    for ref, number in materials.items():
        groups.setdefault((ref.type, number), []).append(ref.id)
    e = AccessEvent
    return case(
        *(
            (and_(e.object_type == kind, e.object_id.in_(sorted(ids))), number)
            for (kind, number), ids in sorted(groups.items())
        ),
        else_=None,
    )


def _reaching(materials: Materials, actions: tuple[str, ...]):
    e = AccessEvent
    by_type: dict[str, set[int]] = {}
    for ref in materials:
        by_type.setdefault(ref.type, set()).add(ref.id)
    return and_(
        e.action.in_(actions),
        or_(*(and_(e.object_type == t, e.object_id.in_(sorted(ids)))
              for t, ids in sorted(by_type.items()))),
    )  # fmt: skip


def reached_counts(
    materials: Materials, actions: tuple[str, ...], start: datetime, end: datetime
) -> Select:
    """(user_id, reached): how many of the materials each official reached in [start, end)."""
    e = AccessEvent
    return (
        select(e.user_id.label("user_id"),
               func.count(distinct(_material_of(materials))).label("reached"))
        .where(_reaching(materials, actions), e.at >= start, e.at < end)
        .group_by(e.user_id)
    )  # fmt: skip


def reached_since(materials: Materials, actions: tuple[str, ...], start: datetime) -> Select:
    """(user_id, reached, since): materials reached from start on, and when the last was first.

    An official reached all n materials by a time t exactly when reached = n and since < t, so
    one query answers for every date of a trend.
    """
    e = AccessEvent
    material = _material_of(materials).label("material")
    first = (
        select(e.user_id.label("user_id"), material, func.min(e.at).label("first_at"))
        .where(_reaching(materials, actions), e.at >= start)
        .group_by(e.user_id, material)
        .subquery()
    )
    return select(
        first.c.user_id,
        func.count().label("reached"),
        func.max(first.c.first_at).label("since"),
    ).group_by(first.c.user_id)


def reached_materials(
    materials: Materials,
    actions: tuple[str, ...],
    start: datetime,
    end: datetime,
    user_ids: Select,
) -> Select:
    """(user_id, material): which materials each of user_ids reached in [start, end)."""
    e = AccessEvent
    material = _material_of(materials).label("material")
    return (
        select(e.user_id, material)
        .where(_reaching(materials, actions), e.at >= start, e.at < end,
               e.user_id.in_(user_ids))
        .group_by(e.user_id, material)
    )  # fmt: skip


def last_reached(user_id: int, refs: Iterable[Ref]) -> Ref | None:
    """Of refs, the one the official viewed or downloaded most recently (None: none of them)."""
    wanted = list(refs)
    if not wanted:
        return None
    e = AccessEvent
    row = db.session.execute(
        select(e.object_type, e.object_id)
        .where(e.user_id == user_id, _reaching({r: 0 for r in wanted}, ACCESS_ACTIONS))
        .order_by(e.at.desc(), e.id.desc())
        .limit(1)
    ).first()
    return Ref(row[0], row[1]) if row else None
