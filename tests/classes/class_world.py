"""A small province with a trainer, an admin, officials, a published module and a plan; a clock
standing on a Monday morning in Vietnam; and ways to make classes through the real pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from helpers import login, make_unit, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.auth.models import User
from cchc_learn.classes.models import Attendance, ClassParticipant, ClassSession, TrainingClass
from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.lessons.models import Lesson, Module
from cchc_learn.plans import service as plan_service

# Monday 2 March 2026, 08:30 in Vietnam.
MONDAY_0830 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

PLAN_TEXT = """---
title: Kế hoạch bồi dưỡng quý I
starts: 2026-01-01
ends: 2026-03-31
audience:
  units: [TINH]
  levels: []
required:
  modules: [m1]
  lessons: []
  documents: []
targets:
  accessed: 100
  trained: 85
---
Kế hoạch thử.
"""

OFFICIALS = [
    ("cb-an", "Nguyễn Văn An", "XA1"),
    ("cb-binh", "Trần Thị Bình", "AP1"),
    ("cb-chi", "Lê Thị Chi", "XA2"),
    ("cb-dung", "Đặng Văn Dũng", "XA1"),
]


def local(day: date, hh: int, mm: int = 0) -> datetime:
    """A Vietnam time as aware UTC."""
    return datetime.combine(day, time(hh, mm), LOCAL_TZ).astimezone(UTC)


def build_world(app) -> dict[str, int]:
    """Units, accounts (one of them locked, one a moderator only), module m1, plan q1."""
    make_unit(app, "TINH", "UBND tỉnh An Giang", "province")
    make_unit(app, "XA1", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_unit(app, "AP1", "Ấp Mỹ An", "office", parent="XA1")
    make_unit(app, "XA2", "Xã Bình Hòa", "commune", parent="TINH")
    ids = {
        "quantri": make_user(app, "quantri", roles=("admin",), unit="TINH"),
        "giangvien": make_user(app, "giangvien", roles=("trainer",), full_name="Trần Văn Minh",
                               unit="TINH"),
        "giaidap": make_user(app, "giaidap", roles=("moderator",), unit="XA1"),
        "cb-khoa": make_user(app, "cb-khoa", full_name="Phan Văn Khóa", unit="XA1",
                             active=False),
    }  # fmt: skip
    for username, full_name, unit in OFFICIALS:
        ids[username] = make_user(app, username, full_name=full_name, unit=unit)
    with app.app_context():
        declare_write()
        m1 = Module(slug="m1", title="Một cửa liên thông", summary="", topics=[], order=1,
                    audience=[], published=True)
        m1.lessons.append(Lesson(slug="l1", position=1, title="Tiếp nhận hồ sơ", minutes=5,
                                 body_md="x", body_html="<p>x</p>", published=True))
        db.session.add_all([
            m1,
            Module(slug="nhap", title="Bản nháp", summary="", topics=[], order=2, audience=[],
                   published=False),
        ])  # fmt: skip
        db.session.commit()
        actor = db.session.get(User, ids["quantri"])
        plan_service.save_plan(None, "q1", PLAN_TEXT, actor)
    return ids


def signed_in(app, username: str):
    """A test client signed in through the real form."""
    client = app.test_client()
    response = login(client, app, username)
    assert response.status_code == 302, page_text(response)
    return client


CLASS_FORM = {
    "title": "Lớp nghiệp vụ một cửa cấp xã",
    "format": "in_person",
    "place": "Hội trường UBND tỉnh",
    "meeting_url": "",
    "trainers": "ThS. Lê Văn Tám",
    "description": "Buổi 1: tiếp nhận hồ sơ.",
    "modules": "m1",
    "plans": "q1",
    "rule": "all",
    "percent": "",
}


def create_class(app, client, **changes) -> int:
    """Create a class through the form; return its id."""
    response = post(client, app, "/classes/new", {**CLASS_FORM, **changes})
    assert response.status_code == 302, page_text(response)
    return int(re.search(r"/classes/(\d+)$", response.headers["Location"]).group(1))


def add_session(app, client, class_id: int, day: str, start: str, end: str, topic: str = ""):
    """Add a session through the form; return the response."""
    return post(client, app, f"/classes/{class_id}/sessions/new",
                {"day": day, "start": start, "end": end, "topic": topic})  # fmt: skip


def session_ids(app, class_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(
            select(ClassSession.id).where(ClassSession.class_id == class_id)
            .order_by(ClassSession.starts_at)
        ))  # fmt: skip


def enrol(app, client, class_id: int, *user_ids: int) -> None:
    for user_id in user_ids:
        response = post(client, app, f"/classes/{class_id}/roster/add", {"user_id": user_id})
        assert response.status_code == 302, page_text(response)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def attended_on(app, class_id: int) -> dict[int, date | None]:
    with app.app_context():
        return dict(db.session.execute(
            select(ClassParticipant.user_id, ClassParticipant.attended_on)
            .where(ClassParticipant.class_id == class_id)
        ).all())  # fmt: skip


def attendance_rows(app) -> list[tuple[int, int, str, str]]:
    """(session id, user id, status, source) of every attendance row."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(Attendance.session_id, Attendance.user_id, Attendance.status, Attendance.source)
            .order_by(Attendance.session_id, Attendance.user_id)
        )]  # fmt: skip


def code_of(app, session_id: int) -> str | None:
    with app.app_context():
        return db.session.get(ClassSession, session_id).checkin_code


def class_count(app) -> int:
    return count(app, TrainingClass)
