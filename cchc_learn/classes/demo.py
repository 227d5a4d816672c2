"""Quickstart: two 2026 classes of the demo province, with attendance, through the services.

One held in a room over two sessions, its attendance taken from a paper sign-in sheet typed
into a CSV file and imported; one online, its attendance taken on the grid. Both serve the
demo plan, so the compliance and class reports count them. Written with the clock standing at
the moments they happened (after each session), like the demo questions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import select

from ..auth.models import User
from ..clock import LOCAL_TZ, travelling, utcnow
from ..database import declare_write
from ..extensions import db
from . import links, roster, service, sheet_import
from .models import ABSENT, EXCUSED, LATE, ONLINE, PRESENT, TrainingClass
from .sheet_rows import SIGN_IN

PLAN = "ke-hoach-cchc-2026"
ROOM = service.ClassData(
    title="Lớp bồi dưỡng nghiệp vụ một cửa, một cửa liên thông năm 2026",
    place="Hội trường Sở Nội vụ, 15 Lê Triệu Kiết, Long Xuyên",
    trainers="Trần Văn Minh; Phòng Cải cách hành chính",
    description="Hai buổi trên lớp: tiếp nhận, trả kết quả hồ sơ và số hóa hồ sơ tại bộ phận "
    "một cửa. Điểm danh bằng danh sách ký giấy, nhập lại từ tệp.",
    plan_slugs=[PLAN],
    min_percent=100,
)
ONLINE_CLASS = service.ClassData(
    title="Lớp trực tuyến: Chỉ số cải cách hành chính và cách chấm điểm",
    format=ONLINE,
    meeting_url="https://hop.angiang.gov.vn/cchc-2026",
    trainers="Trần Văn Minh",
    description="Một buổi trực tuyến về bộ chỉ số CCHC, PAR Index và SIPAS.",
    plan_slugs=[PLAN],
    min_percent=100,
)
ROOM_SESSIONS = [
    (date(2026, 9, 15), time(8), time(11, 0), "Tiếp nhận và trả kết quả hồ sơ"),
    (date(2026, 9, 15), time(13, 30), time(16, 30), "Số hóa hồ sơ, kết quả giải quyết TTHC"),
]
ONLINE_SESSIONS = [(date(2026, 10, 20), time(14), time(16, 0), "Bộ chỉ số CCHC")]
ROOM_PEOPLE = [f"cb{i:03d}" for i in range(1, 21)]
ONLINE_PEOPLE = [f"cb{i:03d}" for i in range(21, 41)]


def _sheet(session_number: int) -> bytes:
    """The typed-in paper sheet of one session of the room class."""
    lines = ["STT,Tên đăng nhập,Trạng thái,Ghi chú"]
    for i, username in enumerate(ROOM_PEOPLE, start=1):
        status, note = "Có mặt", ""
        if username == "cb017" and session_number == 1:
            status, note = "Đến muộn", "Đến lúc 8 giờ 25"
        elif username == "cb018":
            status, note = "Vắng có phép", "Đi công tác"
        elif username in ("cb019", "cb020") and session_number == 2:
            status = "Vắng"
        lines.append(f"{i},{username},{status},{note}")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _online_status(username: str) -> tuple[str, str]:
    number = int(username[2:])
    if number in (38, 39, 40):
        return ABSENT, ""
    if number in (36, 37):
        return LATE, "Vào phòng họp muộn 15 phút"
    if number == 35:
        return EXCUSED, "Trùng lịch tiếp công dân"
    return PRESENT, ""


def _after(day: date, end: time) -> datetime:
    return datetime.combine(day, end, LOCAL_TZ).astimezone(UTC) + timedelta(minutes=30)


def add_demo_classes(echo=click.echo) -> None:
    """The quickstart step: add the demo classes once, when the demo accounts are there."""
    declare_write()
    if db.session.scalar(select(TrainingClass.id).where(TrainingClass.title == ROOM.title)):
        return
    users = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_([*ROOM_PEOPLE, *ONLINE_PEOPLE, "giangvien"])))}
    trainer = users.get("giangvien")
    if trainer is None or len(users) < 41 or PLAN not in links.plans_by_slug():
        return  # no demo accounts or no demo plan (a content/ without plans): nothing to serve
    now = utcnow()
    with travelling() as go:
        go(datetime(2026, 9, 1, 2, 0, tzinfo=UTC))
        room = service.save_class(None, ROOM, trainer)
        sessions = [service.save_session(room, None, service.SessionData(d, s, e, topic), trainer)
                    for d, s, e, topic in ROOM_SESSIONS]  # fmt: skip
        for username in ROOM_PEOPLE:
            roster.add_participant(room, users[username].id, trainer)
        online = service.save_class(None, ONLINE_CLASS, trainer)
        (online_session,) = [
            service.save_session(online, None, service.SessionData(d, s, e, topic), trainer)
            for d, s, e, topic in ONLINE_SESSIONS
        ]
        for username in ONLINE_PEOPLE:
            roster.add_participant(online, users[username].id, trainer)
        taken = 0
        held = zip(sessions, ROOM_SESSIONS, strict=True)
        for number, (session, (day, _, end, _)) in enumerate(held, 1):
            moment = _after(day, end)
            if moment > now:
                continue
            go(moment)
            plan, token = sheet_import.stage(SIGN_IN, room, session, f"danh-sach-ky-{number}.csv",
                                             _sheet(number), trainer)  # fmt: skip
            if token:
                sheet_import.confirm(SIGN_IN, room.id, session.id, token, trainer,
                                     seen=plan.fingerprint)  # fmt: skip
                taken += 1
        day, _, end, _ = ONLINE_SESSIONS[0]
        if _after(day, end) <= now:
            go(_after(day, end))
            entries = {users[u].id: _online_status(u) for u in ONLINE_PEOPLE}
            roster.save_attendance(online, online_session, entries, trainer)
            taken += 1
    echo(f"Đã thêm 2 lớp bồi dưỡng mẫu năm 2026 ({taken} buổi đã điểm danh; một lớp nhập từ "
         "danh sách ký giấy).")
