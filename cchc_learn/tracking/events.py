"""What counts as reaching the material, the one writer of access events, and their readers.

An official *accessed* a lesson or a document when a page showed it to them (a view) or they
downloaded one of its files (a download, recorded against the attachment with the document's
version); they *completed* a lesson when they confirmed finishing it. Every event keeps the
version it concerned. Reports read events only through this module: `accessed` and `completed`
for a few officials, `reached_since` and `reached_materials` as SQL for many.

**The summary.** Counting a province's officials over raw events grows with the events table,
so `record` also keeps `access_summary`: one row per official, thing (lesson, document or
attachment, as the event names it) and Vietnamese calendar year, holding the first and last
access (view or download) and the first and last completion of that year. The database keeps
it: a trigger on access_event (`migrations/…_0015_access_summary_trigger.py`) folds each event in,
in the event's own transaction, so it never disagrees with the events
(`migrations/…_0013_access_summary.py` built it from them the same way). An attachment keeps
its own rows: the plan's materials map it to its document, as they do for events.

Why a row per year, and how a window [start, end) is answered exactly: the report needs the
first access *at or after* start, which the first access ever cannot tell (an official who
opened a lesson last year and again this spring counts for this year's plan). For a row of a
year Y:

- last < start: nothing of that year is in the window;
- first >= start: first is the first access at or after start in year Y (it is the first of
  the year), so the row reached the material in the window when first < end;
- first < start <= last: start falls inside year Y; only then are the row's events read
  (the earliest at or after start, through the events' (official, thing) index).

Years after start's all fall in the first case, so a plan that starts on 1 January — the
yearly plans the province makes — never reads an event, and one that starts mid-year reads
events only for the officials who came back to a material during its first year. Per-plan
rows would need the writer to know the plans (tracking sits below them) and be rebuilt when a
plan's dates change; per-day or per-month rows would multiply the table for nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .. import metrics
from ..clock import LOCAL_TZ, utcnow
from ..database import short_write, writes_declared
from ..extensions import db
from .models import AccessEvent, AccessSummary

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
    """Record one access event; the database folds it into the official's summary row.

    In a unit of work that writes (a completion), the event joins it and is committed with the
    rest by its owner, all or nothing. In one that only reads (a page about to be sent), the
    event is committed before this returns, in a short writing transaction of its own: on
    SQLite no write lock is held while the page renders, and a failed write raises (the user
    gets an error page instead of a page whose view went unrecorded). Either way the summary
    row changes in the same transaction as the event: a trigger on access_event does it
    (migration 0015), so a view holds SQLite's write lock for one statement. The
    `cchc_access_events_total` counter of /metrics moves when the event is committed.
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
        metrics.count_access_event(access.ref.type, access.action)  # once its owner commits
        return
    with short_write():
        # One plain INSERT: a page view has no object to track, flush or expire afterwards.
        db.session.connection().execute(_INSERT, values)
        metrics.count_access_event(access.ref.type, access.action)


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
# files), numbered by the caller; these build the subqueries over the summary (see the module's
# docstring), so a report stays one query whatever the number of officials or events.

Materials = Mapping[Ref, int]
"""Each ref that reaches a material, mapped to the material's number."""

_KINDS = {
    ACCESS_ACTIONS: ("first_at", "last_at"),
    (COMPLETE,): ("completed_at", "last_completed_at"),
}


def _material_of(materials: Materials):
    groups: dict[tuple[str, int], list[int]] = {}
    for ref, number in materials.items():
        groups.setdefault((ref.type, number), []).append(ref.id)
    s = AccessSummary
    return case(
        *(
            (and_(s.object_type == kind, s.object_id.in_(sorted(ids))), number)
            for (kind, number), ids in sorted(groups.items())
        ),
        else_=None,
    )


def _each_material(materials: Materials) -> list[ColumnElement[bool]]:
    """For each material, by number: a summary row is one of its refs."""
    s = AccessSummary
    groups: dict[int, dict[str, list[int]]] = {}
    for ref, number in materials.items():
        groups.setdefault(number, {}).setdefault(ref.type, []).append(ref.id)
    return [
        or_(*(and_(s.object_type == kind, s.object_id.in_(sorted(ids)))
              for kind, ids in sorted(by_type.items())))
        for _, by_type in sorted(groups.items())
    ]  # fmt: skip


def _of(materials: Materials) -> ColumnElement[bool]:
    s = AccessSummary
    by_type: dict[str, set[int]] = {}
    for ref in materials:
        by_type.setdefault(ref.type, set()).add(ref.id)
    if not by_type:
        return false()  # no material (a required module without a published lesson)
    return or_(*(and_(s.object_type == t, s.object_id.in_(sorted(ids)))
                 for t, ids in sorted(by_type.items())))  # fmt: skip


def _since(actions: tuple[str, ...], start: datetime):
    """(rows with a time at or after start, that time's earliest) for a summary row.

    The earliest is the row's first when that is at or after start; otherwise start falls in
    the row's year and the events of its official and thing say it.
    """
    try:
        first_name, last_name = _KINDS[tuple(actions)]
    except KeyError:
        raise ValueError(f"no summary of the actions {actions!r}") from None
    s, e = AccessSummary, AccessEvent
    first, last = getattr(s, first_name), getattr(s, last_name)
    if _starts_a_year(start):
        # No row has first < start <= last: the query reads no event (and PostgreSQL does not
        # plan a subquery for every row, which would cost more to compile than to run).
        return last >= start, first, first
    later = (
        select(func.min(e.at))
        .where(e.user_id == s.user_id, e.object_type == s.object_type,
               e.object_id == s.object_id, e.action.in_(actions), e.at >= start)
        .scalar_subquery()
    )  # fmt: skip
    return last >= start, first, case((first >= start, first), else_=later)


def _starts_a_year(moment: datetime) -> bool:
    local = moment.astimezone(LOCAL_TZ)
    return (local.month, local.day, local.time()) == (1, 1, time())


def _in_window(actions: tuple[str, ...], start: datetime, end: datetime) -> ColumnElement[bool]:
    has, first, earliest = _since(actions, start)
    return and_(has, first < end, earliest < end)


def _within(materials: Materials, actions: tuple[str, ...], start: datetime, end: datetime):
    return and_(_of(materials), _in_window(actions, start, end))


class _Greatest(FunctionElement):
    """The largest of several values: GREATEST on PostgreSQL, the scalar max() on SQLite."""

    inherit_cache = True


@compiles(_Greatest)
def _greatest_default(element, compiler, **kw):
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(_Greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


def reached_since(
    materials: Materials, actions: tuple[str, ...], start: datetime,
    user_ids: Select | Collection[int] | None = None,
) -> Select:
    """(user_id, reached, since): materials reached from start on, and when the last was first.

    An official reached all n materials by a time t exactly when reached = n and since < t, so
    one query answers for every date of a trend. One pass grouped by official: per material
    the earliest time of its rows, counted when there is one, the latest of them is since
    (only read when every material was reached, so no value is missing then). With user_ids,
    only those officials' rows are read.
    """
    s = AccessSummary
    has, _, earliest = _since(actions, start)
    firsts = [func.min(case((reaches, earliest))) for reaches in _each_material(materials)]
    if not firsts:
        return (
            select(s.user_id.label("user_id"), literal(0).label("reached"),
                   func.min(earliest).label("since"))
            .where(false())
            .group_by(s.user_id)
        )  # fmt: skip
    reached = sum((case((first.is_not(None), 1), else_=0) for first in firsts[1:]),
                  case((firsts[0].is_not(None), 1), else_=0))  # fmt: skip
    since = firsts[0] if len(firsts) == 1 else _Greatest(*firsts)
    query = (
        select(s.user_id.label("user_id"), reached.label("reached"), since.label("since"))
        .where(_of(materials), has)
        .group_by(s.user_id)
    )
    return query if user_ids is None else query.where(s.user_id.in_(user_ids))


def reached_materials(
    materials: Materials,
    actions: tuple[str, ...],
    start: datetime,
    end: datetime,
    user_ids: Select,
) -> Select:
    """(user_id, material): which materials each of user_ids reached in [start, end)."""
    s = AccessSummary
    material = _material_of(materials).label("material")
    return (
        select(s.user_id, material)
        .where(_within(materials, actions, start, end), s.user_id.in_(user_ids))
        .group_by(s.user_id, material)
    )  # fmt: skip


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
