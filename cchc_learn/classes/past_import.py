"""Classes held before the service existed, from one workbook: sheets `Lop` and `HocVien`.

All or nothing: every problem in either sheet is listed as `sheet!cell: message` and nothing is
written while there is one. A class already imported (same source document, title and first
session day) is refused, so importing a file twice creates nothing the second time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import func, select, text

from ..audit.service import record
from ..auth.models import User
from ..clock import LOCAL_TZ, utcnow
from ..database import transactional
from ..extensions import db
from ..textnorm import number_key
from ..timefmt import vn_date
from . import import_batches, outcome, past_sheets
from .import_files import FileRejected, Workbook, check_size, is_xlsx
from .import_people import name_key
from .models import PAST, Attendance, ClassParticipant, ClassSession, TrainingClass
from .past_sheets import CLASS_SHEET, LEARNER_SHEET, PastPlan

__all__ = ["CLASS_SHEET", "LEARNER_SHEET", "PastPlan", "PastRejected", "PastResult"]


@dataclass
class PastResult:
    """What an import created."""

    filename: str
    class_ids: list[int]
    classes: int
    sessions: int
    participants: int
    attended: int


class PastRejected(Exception):
    """The workbook has problems (listed in plan); nothing was written."""

    def __init__(self, plan: PastPlan) -> None:
        super().__init__(f"{len(plan.problems)} problem(s) in {plan.filename}")
        self.plan = plan


def preview(filename: str, data: bytes) -> PastPlan:
    """Check a workbook and plan the classes it holds; nothing is written."""
    plan = PastPlan(filename, hashlib.sha256(data).hexdigest())
    config = current_app.config
    try:
        check_size(data, config["IMPORT_MAX_BYTES"])
        if not is_xlsx(filename, data):
            raise FileRejected(
                "Hồ sơ lớp cũ phải là một tệp Excel (.xlsx) có hai trang tính “Lop” và "
                "“HocVien”; tệp CSV chỉ có một trang. Hãy tải mẫu về và điền vào.")
        book = Workbook(data)
        try:
            sheets = {}
            for wanted, aliases in ((CLASS_SHEET, ("Lớp", "Lớp học")),
                                    (LEARNER_SHEET, ("Học viên", "Hoc vien"))):
                name = book.find(wanted, *aliases)
                if name is None:
                    plan.fail(f"Thiếu trang tính “{wanted}” (tệp có: "
                              f"{', '.join(book.names)[:200]}). Hãy dùng tệp mẫu.")
                else:
                    sheets[wanted] = (name, book.rows(name, config["IMPORT_MAX_ROWS"]))
        finally:
            book.close()
    except FileRejected as exc:
        plan.fail(str(exc))
        return plan
    if plan.problems:
        return plan
    past_sheets.read(plan, sheets[CLASS_SHEET], sheets[LEARNER_SHEET])
    if plan.classes:
        already_imported(plan)
    return plan


def _class_key(document: str, title: str, first_day: date) -> tuple[str, str, date]:
    return number_key(document), name_key(title), first_day


def already_imported(plan: PastPlan) -> None:
    """Fail every class the database (or an earlier row of the file) already holds."""
    first = func.min(ClassSession.starts_at)
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.source_document, TrainingClass.title, first)
        .join(ClassSession, ClassSession.class_id == TrainingClass.id)
        .where(TrainingClass.source_document != "")
        .group_by(TrainingClass.id, TrainingClass.source_document, TrainingClass.title)
    ).all()
    known = {}
    for class_id, document, title, starts in rows:
        if isinstance(starts, str):  # SQLite's MIN() loses the column type
            starts = datetime.fromisoformat(starts)
        if starts.tzinfo is None:
            starts = starts.replace(tzinfo=UTC)
        known[_class_key(document, title, starts.astimezone(LOCAL_TZ).date())] = class_id
    in_file: dict[tuple, int] = {}
    for klass in plan.classes:
        found = _class_key(klass.source_document, klass.title, klass.first_day)
        what = (f"Lớp “{klass.title}” theo văn bản {klass.source_document}, buổi đầu "
                f"{vn_date(klass.first_day)}")
        if found in known:
            plan.fail(f"{what} đã được nhập trước đây; không nhập lại.",
                      plan.class_sheet, f"A{klass.row}")
        elif found in in_file:
            plan.fail(f"{what} trùng với dòng {in_file[found]}.", plan.class_sheet, f"A{klass.row}")
        in_file.setdefault(found, klass.row)


def _serialise() -> None:
    """Make concurrent imports of past classes take turns (SQLite's write lock already does)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('past', 4599))"))


@transactional
def write(plan: PastPlan, actor: User | None) -> PastResult:
    """Create the planned classes, rosters and attendance in the caller's transaction."""
    _serialise()
    plan.problems.clear()
    already_imported(plan)
    if plan.problems:
        raise PastRejected(plan)
    now, actor_id = utcnow(), actor.id if actor else None
    result = PastResult(plan.filename, [], 0, 0, 0, 0)
    for item in plan.classes:
        klass = TrainingClass(
            title=item.title, format=item.format, place=item.place, trainers=item.trainers,
            description=item.description, min_percent=item.min_percent,
            source_document=item.source_document, past=True, created_by_id=actor_id)
        klass.sessions = [ClassSession(starts_at=s, ends_at=e) for s, e in item.sessions]
        db.session.add(klass)
        db.session.flush()
        for learner in item.learners:
            db.session.add(ClassParticipant(class_id=klass.id, user_id=learner.person.id,
                                            added_by_id=actor_id, added_at=now))
            for session, status in zip(klass.sessions, learner.statuses, strict=True):
                if status is not None:
                    db.session.add(Attendance(
                        session_id=session.id, user_id=learner.person.id, status=status,
                        source=PAST, recorded_at=now, recorded_by_id=actor_id))
        db.session.flush()
        outcome.refresh(klass)
        result.class_ids.append(klass.id)
        result.classes += 1
        result.sessions += len(item.sessions)
        result.participants += len(item.learners)
        result.attended += item.attended
    record(actor, "import", "import_file", None,
           f"Nhập hồ sơ lớp cũ từ tệp {plan.filename}: {result.classes} lớp, "
           f"{result.participants} học viên",
           after={"kind": "class_past", "file": plan.filename, "sha256": plan.sha256,
                  "classes": result.class_ids, "participants": result.participants})
    return result


def run(filename: str, data: bytes, actor: User | None) -> PastResult:
    """Check a workbook and import it all or nothing; raise PastRejected with nothing written."""
    plan = preview(filename, data)
    if not plan.ok:
        if not plan.problems:
            plan.fail("Trang “Lop” không có lớp nào.", CLASS_SHEET)
        raise PastRejected(plan)
    return write(plan, actor)


@transactional
def stage(filename: str, data: bytes, uploader: User) -> tuple[PastPlan, str | None]:
    """Preview a workbook and, when it can be imported, keep it for confirmation."""
    plan = preview(filename, data)
    token = None
    if plan.ok:
        token = import_batches.keep(import_batches.PAST_KIND, filename, data, uploader, {})
    return plan, token


def confirm(token: str, uploader: User) -> tuple[PastResult, object]:
    """Import a kept workbook once; raise BatchMissing, BatchAlreadyCommitted or PastRejected.

    The workbook is read and checked without the write lock, then written in one short
    transaction that checks again for classes imported in between.
    """
    uploader_id = uploader.id
    with import_batches.unlocked():
        user = db.session.get(User, uploader_id)
        batch = import_batches.take(import_batches.PAST_KIND, token, user)
        plan = preview(batch.filename, batch.content)
    if not plan.ok:
        raise PastRejected(plan)
    return _confirm(plan, token, uploader_id)


@transactional
def _confirm(plan: PastPlan, token: str, uploader_id: int):
    actor = db.session.get(User, uploader_id)
    _serialise()
    batch = import_batches.take(import_batches.PAST_KIND, token, actor, lock=True)
    result = write(plan, actor)
    import_batches.finish(batch, {"classes": result.classes, "class_ids": result.class_ids,
                                  "participants": result.participants})
    return result, batch
