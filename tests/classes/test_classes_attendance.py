"""Sessions (overlaps, times, plan periods) and the attendance grid, and that each official's
`attended_on` follows every change of attendance, sessions, roster and rule."""

from __future__ import annotations

from datetime import date

import pytest
from class_world import (
    CLASS_FORM,
    MONDAY_0830,
    add_session,
    attendance_rows,
    attended_on,
    build_world,
    count,
    create_class,
    enrol,
    session_ids,
    signed_in,
)
from helpers import page_text, post
from tests_clock import FakeClock

from cchc_learn.audit.models import AuditEntry
from cchc_learn.classes.models import Attendance, ClassSession
from cchc_learn.clock import set_clock


@pytest.fixture
def clock():
    fake = FakeClock(MONDAY_0830)
    set_clock(fake.now)
    yield fake
    set_clock(None)


@pytest.fixture
def world(app, clock):
    return build_world(app)


@pytest.fixture
def trainer(app, world):
    return signed_in(app, "giangvien")


@pytest.fixture
def klass(app, trainer):
    return create_class(app, trainer)


def test_sessions_are_added_edited_and_deleted(app, trainer, klass):
    response = add_session(app, trainer, klass, "2026-03-02", "08:00", "11:00", "Khai giảng")
    assert response.status_code == 302
    (sid,) = session_ids(app, klass)
    page = page_text(trainer.get(f"/classes/{klass}"))
    assert "02/03/2026 , 08:00–11:00" in page and "Khai giảng" in page and "Đang diễn ra" in page
    form = trainer.get(f"/classes/{klass}/sessions/{sid}/edit").get_data(as_text=True)
    assert 'value="Khai giảng"' in form and 'value="2026-03-02"' in form
    assert 'value="08:00"' in form and 'value="11:00"' in form
    response = post(trainer, app, f"/classes/{klass}/sessions/{sid}/edit",
                    {"day": "03/03/2026", "start": "13:30", "end": "16:30", "topic": "Buổi 2"})
    assert response.status_code == 302
    assert "03/03/2026 , 13:30–16:30" in page_text(trainer.get(f"/classes/{klass}"))
    assert post(trainer, app, f"/classes/{klass}/sessions/{sid}/delete").status_code == 302
    assert count(app, ClassSession) == 0


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"day": "02/03/2026", "start": "11:00", "end": "08:00"},
         "Giờ kết thúc: phải sau giờ bắt đầu (11:00)."),
        ({"day": "02/03/2026", "start": "08:00", "end": "08:00"},
         "Giờ kết thúc: phải sau giờ bắt đầu (08:00)."),
        ({"day": "02/03/2026", "start": "10:00", "end": "12:00"},
         "Giờ bắt đầu: trùng với buổi 08:00–11:00 ngày 02/03/2026 của lớp này."),
        ({"day": "02/03/2026", "start": "07:00", "end": "12:00"},
         "Giờ bắt đầu: trùng với buổi 08:00–11:00 ngày 02/03/2026 của lớp này."),
        ({"day": "06/04/2026", "start": "08:00", "end": "11:00"},
         "Ngày học: buổi học ngày 06/04/2026 nằm ngoài thời gian của kế hoạch «Kế hoạch bồi "
         "dưỡng quý I» (01/01/2026 – 31/03/2026)."),
        ({"day": "31/02/2026", "start": "08:00", "end": "11:00"}, "Ngày học: không hợp lệ"),
        ({"day": "02/03/0001", "start": "08:00", "end": "11:00"},
         "Ngày học: năm phải từ 2000 đến 2100."),
        ({"day": "02/03/9999", "start": "08:00", "end": "11:00"},
         "Ngày học: năm phải từ 2000 đến 2100."),
        ({"day": "", "start": "08:00", "end": "11:00"}, "Ngày học: hãy nhập ngày."),
        ({"day": "02/03/2026\x00", "start": "25:00", "end": "11:00"},
         "Giờ bắt đầu: không hợp lệ, nhập giờ:phút"),
        ({"day": "02/03/2026", "start": "13:00", "end": "x" * 10_000},
         "Giờ kết thúc: không hợp lệ"),
        ({"day": "02/03/2026", "start": "13:00", "end": "15:00", "topic": "ý" * 201},
         "Nội dung buổi học: tối đa 200 ký tự."),
    ],
)  # fmt: skip
def test_bad_sessions_are_refused_naming_the_field(app, trainer, klass, form, message):
    assert add_session(app, trainer, klass, "02/03/2026", "08:00", "11:00").status_code == 302
    response = post(trainer, app, f"/classes/{klass}/sessions/new", form)
    assert response.status_code == 400
    assert message in page_text(response)
    assert count(app, ClassSession) == 1


def test_back_to_back_sessions_do_not_overlap_and_an_edit_keeps_its_slot(app, trainer, klass):
    assert add_session(app, trainer, klass, "02/03/2026", "08:00", "11:00").status_code == 302
    assert add_session(app, trainer, klass, "02/03/2026", "11:00", "12:00").status_code == 302
    first, second = session_ids(app, klass)
    same = post(trainer, app, f"/classes/{klass}/sessions/{first}/edit",
                {"day": "02/03/2026", "start": "08:00", "end": "10:30"})  # fmt: skip
    assert same.status_code == 302
    onto = post(trainer, app, f"/classes/{klass}/sessions/{second}/edit",
                {"day": "02/03/2026", "start": "10:00", "end": "12:00"})  # fmt: skip
    assert onto.status_code == 400 and "trùng với buổi 08:00–10:30" in page_text(onto)


def test_attendance_before_the_session_starts_is_refused(app, world, trainer, klass):
    add_session(app, trainer, klass, "03/03/2026", "08:00", "11:00")
    (sid,) = session_ids(app, klass)
    enrol(app, trainer, klass, world["cb-an"])
    url = f"/classes/{klass}/sessions/{sid}/attendance"
    page = page_text(trainer.get(url))
    assert "Buổi học bắt đầu lúc 08:00 03/03/2026, chưa diễn ra: chưa thể điểm danh." in page
    assert "Lưu điểm danh" not in page
    response = post(trainer, app, url, {f"status-{world['cb-an']}": "present"})
    assert response.status_code == 400 and "chưa thể điểm danh" in page_text(response)
    assert attendance_rows(app) == []


def test_the_grid_records_statuses_and_notes_and_attended_on_follows(app, world, trainer, klass,
                                                                     clock):  # fmt: skip
    an, binh, chi = world["cb-an"], world["cb-binh"], world["cb-chi"]
    add_session(app, trainer, klass, "02/03/2026", "08:00", "11:00")
    add_session(app, trainer, klass, "04/03/2026", "08:00", "11:00")
    first, second = session_ids(app, klass)
    enrol(app, trainer, klass, an, binh, chi)
    url = f"/classes/{klass}/sessions/{first}/attendance"
    page = page_text(trainer.get(url))
    assert "Nguyễn Văn An" in page and "Có mặt Đến muộn Vắng Vắng có phép" in page
    response = post(trainer, app, url, {
        f"status-{an}": "present", f"status-{binh}": "late", f"note-{binh}": "Đến 8 giờ 20",
        f"status-{chi}": "absent",
    })  # fmt: skip
    assert response.status_code == 302
    assert "Đã lưu điểm danh (3 thay đổi)." in page_text(trainer.get(url))
    assert attendance_rows(app) == [
        (first, an, "present", "grid"), (first, binh, "late", "grid"),
        (first, chi, "absent", "grid"),
    ]  # fmt: skip
    # "All sessions" and one of two held: nobody has attended yet.
    assert attended_on(app, klass) == {an: None, binh: None, chi: None}

    clock.current = MONDAY_0830.replace(day=4)
    post(trainer, app, f"/classes/{klass}/sessions/{second}/attendance",
         {f"status-{an}": "present", f"status-{binh}": "excused", f"status-{chi}": "late"})
    assert attended_on(app, klass) == {an: date(2026, 3, 4), binh: None, chi: None}

    # An edit of the first session's grid: Chi came after all.
    post(trainer, app, url, {f"status-{chi}": "present"})
    assert attended_on(app, klass)[chi] == date(2026, 3, 4)
    # The rule eased to half the sessions: Bình (late on the 2nd) attended on the 2nd.
    post(trainer, app, f"/classes/{klass}/edit", {**CLASS_FORM, "rule": "share", "percent": "50"})
    assert attended_on(app, klass) == {an: date(2026, 3, 2), binh: date(2026, 3, 2),
                                       chi: date(2026, 3, 2)}  # fmt: skip
    # Back to all sessions, then the second session deleted: one session left, all attended.
    post(trainer, app, f"/classes/{klass}/edit", CLASS_FORM)
    assert attended_on(app, klass)[binh] is None
    post(trainer, app, f"/classes/{klass}/sessions/{second}/delete")
    assert attended_on(app, klass) == {an: date(2026, 3, 2), binh: date(2026, 3, 2),
                                       chi: date(2026, 3, 2)}  # fmt: skip
    # A new session added: nobody has attended it, so nobody has attended the class.
    add_session(app, trainer, klass, "05/03/2026", "08:00", "11:00")
    assert set(attended_on(app, klass).values()) == {None}
    assert "class.attendance.save" in audit_actions(app)


def audit_actions(app) -> list[str]:
    from sqlalchemy import select

    from cchc_learn.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action)))


def test_hostile_attendance_posts_write_nothing(app, world, trainer, klass):
    an, binh = world["cb-an"], world["cb-binh"]
    add_session(app, trainer, klass, "02/03/2026", "08:00", "11:00")
    (sid,) = session_ids(app, klass)
    enrol(app, trainer, klass, an, binh)
    url = f"/classes/{klass}/sessions/{sid}/attendance"
    for form, message in [
        ({f"status-{an}": "present", f"status-{binh}": "here"},
         "Điểm danh của Trần Thị Bình: trạng thái không hợp lệ."),
        ({f"status-{an}": "present", f"status-{binh}": "late", f"note-{binh}": "x" * 301},
         "Ghi chú của Trần Thị Bình: tối đa 300 ký tự."),
        ({f"status-{an}": "pre\x00sent\x00", f"note-{an}": "\x00" * 10 + "ok"}, None),
    ]:  # fmt: skip
        response = post(trainer, app, url, form)
        if message is None:  # NUL bytes leave the values: "present", note "ok"
            assert response.status_code == 302
            assert attendance_rows(app) == [(sid, an, "present", "grid")]
            continue
        assert response.status_code == 400 and message in page_text(response)
        assert attendance_rows(app) == []
    # Fields of people not on the roster are ignored; the roster is what the grid holds.
    response = post(trainer, app, url, {f"status-{world['cb-chi']}": "present",
                                        "status-2147483648": "present"})  # fmt: skip
    assert response.status_code == 302
    assert count(app, Attendance) == 1


def test_the_session_page_shows_no_code_outside_its_window(app, world, trainer, klass):
    add_session(app, trainer, klass, "03/03/2026", "08:00", "11:00")
    (sid,) = session_ids(app, klass)
    page = page_text(trainer.get(f"/classes/{klass}/sessions/{sid}"))
    assert "Mã tự điểm danh sẽ hiện ở đây từ 07:45 03/03/2026 đến 11:00 03/03/2026." in page
    refused = post(trainer, app, f"/classes/{klass}/sessions/{sid}/code")
    assert refused.status_code == 302
    assert "Chỉ tạo mã điểm danh khi buổi học sắp bắt đầu" in page_text(
        trainer.get(f"/classes/{klass}/sessions/{sid}"))
    with app.app_context():
        from cchc_learn.extensions import db

        assert db.session.get(ClassSession, sid).checkin_code is None


def test_agenda_lists_sessions_held_without_attendance(app, world, trainer, klass):
    add_session(app, trainer, klass, "02/03/2026", "07:00", "08:00")
    (sid,) = session_ids(app, klass)
    assert "chưa điểm danh" not in page_text(trainer.get("/"))  # nobody on the roster yet
    enrol(app, trainer, klass, world["cb-an"])
    assert "Buổi học đã diễn ra chưa điểm danh: 1" in page_text(trainer.get("/"))
    listed = page_text(trainer.get("/classes/unrecorded"))
    assert "Lớp nghiệp vụ một cửa cấp xã" in listed and "07:00 02/03/2026" in listed
    post(trainer, app, f"/classes/{klass}/sessions/{sid}/attendance",
         {f"status-{world['cb-an']}": "absent"})  # fmt: skip
    assert "chưa điểm danh" not in page_text(trainer.get("/"))
    assert "Không còn buổi học nào chưa điểm danh." in page_text(trainer.get("/classes/unrecorded"))
