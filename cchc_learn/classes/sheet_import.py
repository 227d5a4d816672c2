"""Sign-in sheets (one session's attendance) and rosters from a CSV or XLSX file.

Preview reads the file and the database and says, row by row, what confirming would do; it
writes nothing. Confirmation re-reads the kept file, recomputes the preview and refuses it when
the roster, the session's attendance or the file differ from what was previewed (the page
carries a fingerprint of all three); then it writes every row in one transaction and
refreshes the participants' outcomes in it.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit.service import record
from ..auth.models import User
from ..clock import LOCAL_TZ, local_today, utcnow
from ..database import transactional
from ..extensions import db
from ..org.service import current_units
from ..timefmt import vn_datetime
from . import import_batches, outcome
from .import_columns import header_keys, map_columns
from .import_files import FileRejected, column_letter, key, read_table
from .import_people import UNKNOWN, Directory
from .models import SHEET, Attendance, ClassParticipant, ClassSession, TrainingClass
from .sheet_rows import (
    ADD,
    COLUMNS,
    DUPLICATE,
    ERROR,
    FULL_NAME,
    IGNORED,
    KIND_LABELS,
    NEW,
    ROSTER,
    SAME,
    SIGN_IN,
    STATUS,
    STATUS_HINT,
    UNIT,
    UPDATE,
    USERNAME,
    ClassImportError,
    Line,
    SheetPlan,
    SheetResult,
    StalePreview,
    parse_status,
)

__all__ = ["ROSTER", "SIGN_IN", "KIND_LABELS", "ClassImportError", "StalePreview"]

BATCH_KINDS = {SIGN_IN: import_batches.SHEET_KIND, ROSTER: import_batches.ROSTER_KIND}


def ensure_held(session: ClassSession) -> None:
    """Refuse a session that has not started yet: nobody can have signed in."""
    if session.starts_at > utcnow():
        raise ClassImportError(
            f"Buổi học này chưa diễn ra (bắt đầu lúc {vn_datetime(session.starts_at)}); chỉ "
            "nhập danh sách ký sau khi buổi học đã bắt đầu. Không có gì được ghi."
        )


def _is_header(cells: list[str]) -> bool:
    known = header_keys((USERNAME, FULL_NAME))
    return any(key(c) in known for c in cells if c)


def session_day(session: ClassSession | None) -> date:
    """The local day of a session (today without one): whose unit a name is looked up in."""
    return session.starts_at.astimezone(LOCAL_TZ).date() if session else local_today()


def fingerprint(kind: str, class_id: int, session: ClassSession | None, sha256: str) -> str:
    """A digest of the file and of the rows a confirmation must find unchanged."""
    digest = hashlib.sha256(f"{kind}|{class_id}|{sha256}".encode())
    roster = db.session.scalars(
        select(ClassParticipant.user_id).where(ClassParticipant.class_id == class_id)
        .order_by(ClassParticipant.user_id)
    )
    digest.update(("roster:" + ",".join(map(str, roster))).encode())
    if session is not None:
        digest.update(f"|session:{session.id}:{session.starts_at.isoformat()}".encode())
        for user_id, status, note in db.session.execute(
            select(Attendance.user_id, Attendance.status, Attendance.note)
            .where(Attendance.session_id == session.id).order_by(Attendance.user_id)
        ):
            digest.update(f"|{user_id}:{status}:{note}".encode())
    return digest.hexdigest()


def preview(kind: str, klass: TrainingClass, session: ClassSession | None, filename: str,
            data: bytes) -> SheetPlan:
    """Check a file against the class (and session) and plan every row; nothing is written."""
    if kind == SIGN_IN:
        ensure_held(session)
    plan = SheetPlan(kind, filename, hashlib.sha256(data).hexdigest(), klass.id,
                     session.id if session else None)
    config = current_app.config
    try:
        table = read_table(filename, data, max_bytes=config["IMPORT_MAX_BYTES"],
                           max_rows=config["IMPORT_MAX_ROWS"], is_header=_is_header)
    except FileRejected as exc:
        plan.fail_file(str(exc))
        return plan
    plan.encoding = table.encoding
    columns = COLUMNS[kind]
    cmap, problems = map_columns(table.headers, columns, ignored=IGNORED[kind])
    for index, message in problems:
        plan.fail_file(message, table.header_row, f"cột {column_letter(index)}")
    have = cmap.positions
    if "username" not in have and not ("full_name" in have and "unit" in have):
        plan.fail_file(
            "Thiếu cột để nhận ra từng người: cần cột “Tên đăng nhập”, hoặc cả hai cột "
            "“Họ và tên” và “Đơn vị” (mã hoặc tên đơn vị).", table.header_row, "dòng tiêu đề")
    if plan.file_problems:
        return plan
    used = [c for c in columns if c.key in have]
    plan.columns = [(c.key, cmap.header(c.key)) for c in used]
    width = len(table.headers)
    for sheet_row in table.rows:
        line = Line(sheet_row.number, {})
        for column in used:
            index = have[column.key]
            value = sheet_row.cell(index)
            line.cells[column.key] = value
            where = cmap.header(column.key)
            if index in sheet_row.problems:
                line.fail(where, sheet_row.problems[index])
            elif len(value) > column.max_length:
                line.fail(where, f"Quá dài ({len(value)} ký tự); tối đa {column.max_length}.")
        extra = [i for i, v in enumerate(sheet_row.cells) if i >= width and v]
        if extra:
            shown = sheet_row.cells[extra[0]][:40]
            line.fail(f"cột {column_letter(extra[0])}",
                      f"Dòng có ô ngoài các cột của dòng tiêu đề (“{shown}”).")
        plan.lines.append(line)
    _match(plan, cmap.headers, session_day(session))
    if kind == SIGN_IN:
        _statuses(plan, cmap.headers)
    _mark_duplicates(plan.lines, cmap.headers)
    _against_class(plan, klass, session)
    plan.fingerprint = fingerprint(kind, klass.id, session, plan.sha256)
    return plan


def _match(plan: SheetPlan, headers: dict[str, str], on: date) -> None:
    directory = Directory(on)
    directory.load((ln.cells.get("username", "") for ln in plan.lines),
                   (ln.cells.get("unit", "") for ln in plan.lines))
    who = {k: headers.get(k, c.label) for k, c in
           (("username", USERNAME), ("full_name", FULL_NAME), ("unit", UNIT))}
    for line in plan.lines:
        if any(p.column in (who["username"], who["full_name"], who["unit"])
               for p in line.problems):
            continue
        username = line.cells.get("username", "")
        full_name = line.cells.get("full_name", "")
        unit = line.cells.get("unit", "")
        if username:
            found, column = directory.by_login(username, full_name), who["username"]
        elif full_name and unit:
            found, column = directory.by_name(full_name, unit), who["full_name"]
        elif full_name:
            line.fail(who["unit"], f"Có họ tên “{full_name}” nhưng thiếu đơn vị: cần đơn vị "
                                   "(mã hoặc tên) để biết là ai, hoặc ghi tên đăng nhập.")
            continue
        else:
            line.fail(who.get("username") if "username" in headers else who["full_name"],
                      "Dòng không có tên đăng nhập hay họ tên: không biết là ai.", UNKNOWN)
            continue
        if found.person is None:
            if found.problem and any(v.startswith(("=", "+", "-", "@")) for v in
                                     (username, full_name, unit)):
                found.problem += " (Ô bắt đầu như công thức bảng tính được đọc như chữ.)"
            line.fail(column, found.problem or "", found.kind)
        else:
            line.person, line.match_note = found.person, found.note


def _statuses(plan: SheetPlan, headers: dict[str, str]) -> None:
    column = headers.get("status", STATUS.label)
    for line in plan.lines:
        line.note = line.cells.get("note", "")
        text = line.cells.get("status", "")
        if not text or any(p.column == column for p in line.problems):
            continue
        status = parse_status(text)
        if status is None:
            line.fail(column, f"Trạng thái “{text[:40]}” không hợp lệ. Dùng: {STATUS_HINT} "
                              "(để trống là Có mặt).")
        else:
            line.status = status


def _mark_duplicates(lines: list[Line], headers: dict[str, str]) -> None:
    groups: dict[int, list[Line]] = {}
    for line in lines:
        if line.person is not None:
            groups.setdefault(line.person.id, []).append(line)
    column = headers.get("username") or headers.get("full_name")
    for group in groups.values():
        if len(group) < 2:
            continue
        for line in group:
            others = ", ".join(str(o.row) for o in group if o is not line)
            line.fail(column, f"{line.person.label} có ở nhiều dòng (trùng với dòng {others}); "
                              "mỗi người chỉ một dòng.", DUPLICATE)


def _against_class(plan: SheetPlan, klass: TrainingClass, session: ClassSession | None) -> None:
    roster = set(db.session.scalars(
        select(ClassParticipant.user_id).where(ClassParticipant.class_id == klass.id)))
    existing: dict[int, tuple[str, str]] = {}
    if session is not None:
        existing = {uid: (status, note) for uid, status, note in db.session.execute(
            select(Attendance.user_id, Attendance.status, Attendance.note)
            .where(Attendance.session_id == session.id))}
    for line in plan.lines:
        if line.action == ERROR:
            continue
        uid = line.person.id
        line.on_roster = uid in roster
        if plan.kind == ROSTER:
            line.action = SAME if line.on_roster else ADD
            continue
        before = existing.get(uid)
        if before is None:
            line.action = NEW
        elif before[0] == line.status and (not line.note or line.note == before[1]):
            line.action = SAME
        else:
            line.action, line.previous = UPDATE, before[0]


@transactional
def stage(kind: str, klass: TrainingClass, session: ClassSession | None, filename: str,
          data: bytes, uploader: User) -> tuple[SheetPlan, str | None]:
    """Preview a file and, when it can be imported and changes something, keep it; the token."""
    plan = preview(kind, klass, session, filename, data)
    token = None
    if plan.ok and plan.has_work:
        meta = {"class_id": klass.id, "session_id": session.id if session else None}
        token = import_batches.keep(BATCH_KINDS[kind], filename, data, uploader, meta)
    return plan, token


def _load(class_id: int, session_id: int | None, *, lock: bool = False):
    query = select(TrainingClass).where(TrainingClass.id == class_id)
    klass = db.session.scalar(query.with_for_update() if lock else query)
    session = None
    if session_id is not None:
        session = db.session.get(ClassSession, session_id)
        if session is None or klass is None or session.class_id != klass.id:
            raise ClassImportError("Không còn buổi học này; không có gì được ghi.")
    if klass is None:
        raise ClassImportError("Không còn lớp học này; không có gì được ghi.")
    return klass, session


STALE = ("Bản xem trước đã cũ: {what} đã thay đổi sau khi bạn xem trước. Không có gì được "
         "ghi. Hãy kiểm tra bản xem trước mới dưới đây rồi xác nhận lại.")


def confirm(kind: str, class_id: int, session_id: int | None, token: str, uploader: User, *,
            seen: str, add_missing: bool = True) -> SheetResult:
    """Import a kept file in one transaction, if nothing changed since the preview the user saw.

    seen is the fingerprint the preview page carried. Raises BatchMissing, BatchAlreadyCommitted,
    StalePreview (with the new preview) or ClassImportError; nothing is written then.
    """
    uploader_id = uploader.id
    what = "danh sách lớp hoặc điểm danh của buổi học" if kind == SIGN_IN else "danh sách lớp"
    with import_batches.unlocked():
        user = db.session.get(User, uploader_id)
        batch = import_batches.take(BATCH_KINDS[kind], token, user)
        meta = batch.result or {}
        if meta.get("class_id") != class_id or meta.get("session_id") != session_id:
            raise import_batches.BatchMissing(token)
        klass, session = _load(class_id, session_id)
        plan = preview(kind, klass, session, batch.filename, batch.content)
    if plan.fingerprint != seen:
        raise StalePreview(STALE.format(what=what), plan)
    if not plan.ok:  # accounts or units changed in between: the new preview says how
        raise StalePreview(STALE.format(what="tài khoản hoặc đơn vị"), plan)
    return _write(kind, plan, class_id, session_id, token, uploader_id, add_missing, what)


@transactional
def _write(kind: str, plan: SheetPlan, class_id: int, session_id: int | None, token: str,
           uploader_id: int, add_missing: bool, what: str) -> SheetResult:
    klass, session = _load(class_id, session_id, lock=True)
    actor = db.session.get(User, uploader_id)
    batch = import_batches.take(BATCH_KINDS[kind], token, actor, lock=True)
    if session is not None:
        ensure_held(session)
    if fingerprint(kind, class_id, session, plan.sha256) != plan.fingerprint:
        raise StalePreview(STALE.format(what=what), plan)
    try:
        result = _apply(plan, klass, session, actor, add_missing)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ClassImportError(
            f"Trong lúc ghi, {what} vừa được người khác thay đổi; không có gì được ghi. "
            "Hãy tải tệp lên lại để xem trước.") from None
    outcome.refresh(klass)
    result.attended = db.session.scalar(
        select(func.count()).select_from(ClassParticipant)
        .where(ClassParticipant.class_id == klass.id, ClassParticipant.attended_on.is_not(None)))
    done = {k: getattr(result, k) for k in ("written", "updated", "unchanged", "added", "skipped")}
    import_batches.finish(batch, done)
    where = f"buổi {vn_datetime(session.starts_at)} của " if session else ""
    record(actor, "import", "training_class", klass.id,
           f"Nhập {KIND_LABELS[kind].lower()} từ tệp {plan.filename} cho {where}lớp "
           f"“{klass.title}”", after={"kind": kind, "file": plan.filename,
                                      "sha256": plan.sha256, "session_id": session_id, **done})
    return result


def _apply(plan: SheetPlan, klass: TrainingClass, session: ClassSession | None, actor: User,
           add_missing: bool) -> SheetResult:
    result = SheetResult(plan.kind, plan.filename)
    roster = set(db.session.scalars(
        select(ClassParticipant.user_id).where(ClassParticipant.class_id == klass.id)))
    existing: dict[int, Attendance] = {}
    if session is not None:
        existing = {a.user_id: a for a in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id))}
    now = utcnow()
    for line in plan.lines:
        uid = line.person.id
        if uid not in roster:
            if plan.kind == SIGN_IN and not add_missing:
                result.skipped += 1
                continue
            db.session.add(ClassParticipant(class_id=klass.id, user_id=uid,
                                            added_by_id=actor.id, added_at=now))
            roster.add(uid)
            result.added += 1
        elif plan.kind == ROSTER:
            result.unchanged += 1
        if session is None:
            continue
        mark = existing.get(uid)
        if mark is None:
            db.session.add(Attendance(session_id=session.id, user_id=uid, status=line.status,
                                      note=line.note, source=SHEET, recorded_at=now,
                                      recorded_by_id=actor.id))
            result.written += 1
        elif mark.status == line.status and (not line.note or line.note == mark.note):
            result.unchanged += 1
        else:
            mark.status, mark.note = line.status, line.note or mark.note
            mark.source, mark.recorded_at, mark.recorded_by_id = SHEET, now, actor.id
            result.updated += 1
    return result


def find(class_id: int, session_id: int | None = None):
    """The class (and its session), or None when either is missing or they do not match."""
    klass = db.session.get(TrainingClass, class_id)
    if klass is None or session_id is None:
        return klass, None
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != klass.id:
        return None, None
    return klass, session


def roster_rows(class_id: int, on: date) -> list[tuple[str, str, str]]:
    """The roster as (username, full name, unit on a day), by name, for a sign-in template."""
    users = db.session.execute(
        select(User.id, User.username, User.full_name)
        .join(ClassParticipant, ClassParticipant.user_id == User.id)
        .where(ClassParticipant.class_id == class_id)
        .order_by(User.full_name, User.username)
    ).all()
    units = {}
    for start in range(0, len(users), 500):
        units.update(current_units([u.id for u in users[start:start + 500]], on))
    return [(u.username, u.full_name, units[u.id].name if u.id in units else "") for u in users]
