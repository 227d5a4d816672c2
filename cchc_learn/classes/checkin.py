"""Self check-in: a short code shown in the room while a session is on, typed or scanned.

A code is valid from `OPENS_BEFORE` before the session starts until it ends; it is issued
when the trainer opens the session page in that window (or asks for a new one, which makes the
old one wrong). An official on the roster who is signed in confirms with it and is recorded
present, or late after `LATE_AFTER`, with source `checkin`. Every refusal writes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.service import record
from ..auth.models import User
from ..clock import utcnow
from ..database import short_write, transactional, writes_declared
from ..extensions import db
from ..timefmt import vn_datetime
from . import outcome
from .models import CHECKIN, LATE, PRESENT, STATUSES, Attendance, ClassParticipant, ClassSession
from .service import CHECKIN_OPENS_BEFORE as OPENS_BEFORE
from .service import ClassError, lock_class

# No 0/O, 1/I/L: read aloud or copied from a projector without doubt.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
LATE_AFTER = timedelta(minutes=15)
ISSUE_ATTEMPTS = 8


def normalize(code: str | None) -> str:
    """A code as typed (spaces, dashes, lower case) in the form it is stored."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:CODE_LENGTH * 2]


def window(session: ClassSession) -> tuple[datetime, datetime]:
    """When the session's code works: from a little before the start to the end."""
    return session.starts_at - OPENS_BEFORE, session.ends_at


def is_open(session: ClassSession, now: datetime | None = None) -> bool:
    """Whether check-in is open for the session now."""
    opens, closes = window(session)
    return opens <= (now or utcnow()) <= closes


def _current(session: ClassSession) -> bool:
    """Whether the session holds a code issued for this session's window."""
    opens, _ = window(session)
    return bool(session.checkin_code) and session.code_issued_at is not None and (
        session.code_issued_at >= opens
    )


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _issue(session: ClassSession) -> str:
    """Give the session a fresh code no other session holds (in the caller's transaction)."""
    for _ in range(ISSUE_ATTEMPTS):
        code = _new_code()
        if db.session.scalar(select(ClassSession.id).where(ClassSession.checkin_code == code)):
            continue
        try:
            with db.session.begin_nested():
                session.checkin_code, session.code_issued_at = code, utcnow()
                db.session.flush()
        except IntegrityError:  # another host issued the same code a moment ago
            continue
        return code
    raise ClassError("Không tạo được mã điểm danh, hãy thử lại.")


def current_code(session: ClassSession, actor: User) -> str | None:
    """The code to show while check-in is open, issuing one if the session has none yet.

    Called from a page view: the code is written in a short transaction of its own.
    """
    if not is_open(session):
        return None
    if _current(session):
        return session.checkin_code
    if writes_declared():
        return _issue_locked(session, actor, renew=False)
    with short_write():
        return _issue_locked(session, actor, renew=False)


def _issue_locked(session: ClassSession, actor: User, *, renew: bool) -> str:
    lock_class(session.training_class)
    db.session.refresh(session)
    if not renew and _current(session):
        return session.checkin_code or ""
    code = _issue(session)
    record(actor, "class.checkin.code", "class_session", session.id,
           f"{'Đổi' if renew else 'Tạo'} mã tự điểm danh buổi {vn_datetime(session.starts_at)} "
           f"lớp «{session.training_class.title}»")  # fmt: skip
    return code


@transactional
def renew_code(session: ClassSession, actor: User) -> str:
    """Replace the session's code (the old one stops working at once)."""
    if not is_open(session):
        raise ClassError("Chỉ tạo mã điểm danh khi buổi học sắp bắt đầu hoặc đang diễn ra.")
    return _issue_locked(session, actor, renew=True)


def qr_svg(url: str) -> Markup:
    """The URL as a QR code, an inline SVG drawn here (no outside service, no inline style)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, border=2, title="Mã QR tự điểm danh")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="Mã QR tự điểm danh" ', 1))


@dataclass
class Target:
    """The session a code opens, as shown before the official confirms."""

    session: ClassSession
    status: str

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


def find(code: str, user: User, expected_session: int | None = None) -> Target:
    """Check a code for an official without writing; raise ClassError saying why not."""
    code = normalize(code)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise ClassError(
            f"Mã điểm danh: gồm {CODE_LENGTH} ký tự chữ và số như trên màn hình lớp học.", "code"
        )
    session = db.session.scalar(select(ClassSession).where(ClassSession.checkin_code == code))
    if session is None:
        raise ClassError("Mã điểm danh: không đúng. Hãy xem lại mã trên màn hình lớp học.", "code")
    now = utcnow()
    if not _current(session) or now > session.ends_at:
        raise ClassError("Mã điểm danh: đã hết hạn (buổi học đã kết thúc).", "code")
    if now < window(session)[0]:
        raise ClassError("Mã điểm danh: chưa đến giờ điểm danh của buổi học này.", "code")
    if expected_session is not None and expected_session != session.id:
        other = db.session.get(ClassSession, expected_session)
        if other is not None and other.class_id == session.class_id:
            raise ClassError("Mã điểm danh: đây là mã của một buổi khác của lớp.", "code")
        raise ClassError("Mã điểm danh: đây là mã của một lớp khác.", "code")
    on_roster = db.session.scalar(
        select(ClassParticipant.id).where(
            ClassParticipant.class_id == session.class_id, ClassParticipant.user_id == user.id
        )
    )
    if on_roster is None:
        raise ClassError(
            f"Bạn không có trong danh sách lớp «{session.training_class.title}»: hãy báo giảng "
            "viên để được thêm vào danh sách.",
            "code",
        )
    _refuse_twice(session, user)
    return Target(session, LATE if now > session.starts_at + LATE_AFTER else PRESENT)


def _refuse_twice(session: ClassSession, user: User) -> None:
    done = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id, Attendance.user_id == user.id)
    )
    if done is None:
        return
    if done.source == CHECKIN:
        raise ClassError(
            f"Bạn đã tự điểm danh buổi này lúc {vn_datetime(done.recorded_at)}.", "code"
        )
    raise ClassError(
        f"Giảng viên đã ghi điểm danh của bạn cho buổi này ({STATUSES[done.status]}); nếu cần "
        "sửa, hãy báo giảng viên.",
        "code",
    )


@transactional
def check_in(code: str, user: User, expected_session: int | None = None) -> Attendance:
    """Record the official's attendance with a code (present, or late after the grace time)."""
    target = find(code, user, expected_session)
    klass = lock_class(target.session.training_class)
    # Checked again under the lock: a second request of the same official waited here.
    target = find(code, user, expected_session)
    row = Attendance(
        session_id=target.session.id, user_id=user.id, status=target.status,
        source=CHECKIN, recorded_at=utcnow(), recorded_by_id=user.id,
    )  # fmt: skip
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise ClassError("Bạn đã điểm danh buổi này.", "code") from exc
    outcome.refresh(klass)
    record(user, "class.checkin", "class_session", target.session.id,
           f"{user.username} tự điểm danh buổi {vn_datetime(target.session.starts_at)} "
           f"lớp «{klass.title}»: {target.status_label}")  # fmt: skip
    return row
