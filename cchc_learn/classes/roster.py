"""The roster (one by one, or a whole unit) and attendance taken on the grid.

Like every writer of the classes package, each function locks the class's row first and
recomputes outcomes (`outcome.refresh`) in its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..audit.service import record
from ..auth.models import User, UserRole
from ..clock import local_today, utcnow
from ..database import transactional
from ..extensions import db
from ..org import service as org_service
from ..org.models import Membership
from ..textnorm import fold
from ..timefmt import vn_datetime
from . import outcome
from .models import GRID, STATUSES, Attendance, ClassParticipant, ClassSession, TrainingClass
from .service import ClassError, lock_class

NOTE_MAX = 300
SEARCH_LIMIT = 20


# --- Roster -----------------------------------------------------------------------------------


def _officials():
    """Active accounts holding the official role."""
    return select(User).where(
        User.active.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role == "official")),
    )


def search_candidates(klass: TrainingClass, text: str) -> list[tuple[User, bool]]:
    """Active officials whose username or name matches text (folded), with whether on roster."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    users = db.session.scalars(
        _officials()
        .where(User.search_key.contains(fold(text), autoescape=True))
        .order_by(User.full_name, User.username)
        .limit(SEARCH_LIMIT)
    ).all()
    listed = set(
        db.session.scalars(
            select(ClassParticipant.user_id).where(
                ClassParticipant.class_id == klass.id,
                ClassParticipant.user_id.in_([u.id for u in users]),
            )
        )
    )
    return [(u, u.id in listed) for u in users]


def _on_roster(klass: TrainingClass) -> set[int]:
    return set(
        db.session.scalars(
            select(ClassParticipant.user_id).where(ClassParticipant.class_id == klass.id)
        )
    )


@transactional
def add_participant(klass: TrainingClass, user_id: int, actor: User) -> User:
    """Put one active official on the roster."""
    klass = lock_class(klass)
    user = db.session.scalar(_officials().where(User.id == user_id))
    if user is None:
        raise ClassError("Học viên: không tìm thấy học viên đang hoạt động đã chọn.", "user_id")
    if user.id in _on_roster(klass):
        raise ClassError(f"Học viên: {user.full_name} ({user.username}) đã có trong danh sách.",
                         "user_id")  # fmt: skip
    db.session.add(ClassParticipant(class_id=klass.id, user_id=user.id, added_by_id=actor.id))
    db.session.flush()
    outcome.refresh(klass)
    record(actor, "class.roster.add", "training_class", klass.id,
           f"Thêm {user.username} vào lớp «{klass.title}»")  # fmt: skip
    return user


@transactional
def add_unit(klass: TrainingClass, unit_id: int, actor: User) -> tuple[int, int]:
    """Put every active official of a unit and its descendants (as of today) on the roster.

    Returns (added, already on the roster).
    """
    klass = lock_class(klass)
    today = local_today()
    nodes = org_service.flatten(org_service.tree(today))
    root = next((n for n in nodes if n.unit.id == unit_id), None)
    if root is None:
        raise ClassError("Đơn vị: không tìm thấy đơn vị đang hoạt động đã chọn.", "unit")
    units = [n.unit.id for n in org_service.flatten([root])]
    members = db.session.scalars(
        _officials()
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.unit_id.in_(units),
            Membership.valid_from <= today,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= today),
        )
        .order_by(User.id)
    ).all()
    listed = _on_roster(klass)
    new = [u for u in dict.fromkeys(members) if u.id not in listed]
    for user in new:
        db.session.add(ClassParticipant(class_id=klass.id, user_id=user.id, added_by_id=actor.id))
    db.session.flush()
    outcome.refresh(klass)
    record(actor, "class.roster.add_unit", "training_class", klass.id,
           f"Thêm {len(new)} học viên của {root.unit.code} (và đơn vị cấp dưới) vào lớp "
           f"«{klass.title}»", after={"unit": root.unit.code, "added": len(new)})  # fmt: skip
    return len(new), len(members) - len(new)


@transactional
def remove_participant(klass: TrainingClass, user_id: int, actor: User) -> User:
    """Take an official off the roster (their attendance rows stay, uncounted, for the record)."""
    klass = lock_class(klass)
    row = db.session.scalar(
        select(ClassParticipant)
        .options(selectinload(ClassParticipant.user))
        .where(ClassParticipant.class_id == klass.id, ClassParticipant.user_id == user_id)
    )
    if row is None:
        raise ClassError("Học viên: người này không có trong danh sách lớp.", "user_id")
    user = row.user
    db.session.delete(row)
    record(actor, "class.roster.remove", "training_class", klass.id,
           f"Bỏ {user.username} khỏi lớp «{klass.title}»")  # fmt: skip
    return user


# --- Attendance -------------------------------------------------------------------------------


def not_yet_held(session: ClassSession) -> str | None:
    """Why attendance cannot be taken yet (the session starts in the future), or None."""
    if session.starts_at > utcnow():
        return (
            f"Buổi học bắt đầu lúc {vn_datetime(session.starts_at)}, chưa diễn ra: "
            "chưa thể điểm danh."
        )
    return None


@transactional
def save_attendance(klass: TrainingClass, session: ClassSession,
                    entries: Mapping[int, tuple[str, str]], actor: User) -> int:  # fmt: skip
    """Record each listed participant's status and note; returns how many rows changed.

    entries maps a participant's user id to (status, note); someone left out keeps what
    was recorded. Outcomes are recomputed in the same transaction.
    """
    klass = lock_class(klass)
    refused = not_yet_held(session)
    if refused:
        raise ClassError(refused, "status")
    roster = {
        p.user_id: p.user
        for p in db.session.scalars(
            select(ClassParticipant)
            .options(selectinload(ClassParticipant.user))
            .where(ClassParticipant.class_id == klass.id)
        )
    }
    clean: dict[int, tuple[str, str]] = {}
    for user_id, (status, note) in entries.items():
        user = roster.get(user_id)
        if user is None:
            raise ClassError(f"Điểm danh: người có mã {user_id} không có trong danh sách lớp.",
                             "status")  # fmt: skip
        if status not in STATUSES:
            raise ClassError(f"Điểm danh của {user.full_name}: trạng thái không hợp lệ.",
                             "status")  # fmt: skip
        note = " ".join((note or "").split())
        if len(note) > NOTE_MAX:
            raise ClassError(f"Ghi chú của {user.full_name}: tối đa {NOTE_MAX} ký tự.", "note")
        clean[user_id] = (status, note)
    existing = {
        a.user_id: a
        for a in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    now, changed = utcnow(), 0
    for user_id, (status, note) in clean.items():
        row = existing.get(user_id)
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id)
            db.session.add(row)
        elif row.status == status and row.note == note:
            continue
        row.status, row.note, row.source = status, note, GRID
        row.recorded_at, row.recorded_by_id = now, actor.id
        changed += 1
    db.session.flush()
    outcome.refresh(klass)
    record(actor, "class.attendance.save", "class_session", session.id,
           f"Điểm danh buổi {vn_datetime(session.starts_at)} lớp «{klass.title}»: "
           f"{changed} thay đổi")  # fmt: skip
    return changed
