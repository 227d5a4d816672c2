"""A small province, classes built with the models, and files to import into them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
from helpers import csrf_token, make_unit, make_user, page_text, post
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cchc_learn.classes import outcome
from cchc_learn.classes.models import (
    Attendance,
    ClassParticipant,
    ClassSession,
    TrainingClass,
)
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org.importing.models import ImportBatch

TRAINER, ADMIN = "giangvien", "quantri"
# The fake clock of the tests stands at 2026-03-02 08:00 in Vietnam (01:00 UTC).
HELD = datetime(2026, 2, 23, 1, 0, tzinfo=UTC)  # 23/02/2026 08:00 local
HELD2 = datetime(2026, 2, 24, 6, 30, tzinfo=UTC)  # 24/02/2026 13:30 local
FUTURE = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
REJECTED = 'data-testid="import-rejected"'
SIGN_IN_HEADER = ["STT", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Trạng thái", "Ghi chú"]


def province(app) -> None:
    """Units, a trainer, an admin and officials (two namesakes in one commune)."""
    make_unit(app, "TINH", "Tỉnh An Giang", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA-MYHOA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_user(app, TRAINER, roles=("trainer",), full_name="Trần Văn Minh", unit="SNV")
    make_user(app, ADMIN, roles=("admin",), full_name="Quản trị viên", unit="SNV")
    make_user(app, "nguyenvana", full_name="Nguyễn Văn An", unit="SNV")
    make_user(app, "tranthibinh", full_name="Trần Thị Bình", unit="SNV")
    make_user(app, "lequangcuong", full_name="Lê Quang Cường", unit="XA-MYHOA")
    make_user(app, "phamduc1", full_name="Phạm Văn Đức", unit="XA-MYHOA")
    make_user(app, "phamduc2", full_name="Phạm Văn Đức", unit="XA-MYHOA")
    make_user(app, "nguyenthihoa", full_name="Nguyễn Thị Hoà", unit="XA-MYHOA")
    make_user(app, "hocvien", full_name="Võ Thị Lan", unit="SNV")


def make_class(app, starts=(HELD, HELD2), *, roster=(), min_percent=100,
               title="Kỹ năng tiếp nhận hồ sơ một cửa") -> tuple[int, list[int]]:
    """A class with sessions of 3 hours from each start and a roster; its ids."""
    with app.app_context():
        declare_write()
        klass = TrainingClass(title=title, min_percent=min_percent)
        klass.sessions = [ClassSession(starts_at=s, ends_at=s + timedelta(hours=3))
                          for s in starts]
        db.session.add(klass)
        db.session.flush()
        for username in roster:
            db.session.add(ClassParticipant(class_id=klass.id, user_id=user_id(username)))
        db.session.flush()
        outcome.refresh(klass)
        db.session.commit()
        return klass.id, [s.id for s in klass.sessions]


def user_id(username: str) -> int:
    """An account's id (inside an app context)."""
    from cchc_learn.auth.models import User

    return db.session.scalar(select(User.id).where(User.username == username))


def mark(app, session_id: int, username: str, status: str, note: str = "") -> None:
    """Record one attendance directly, and refresh the class's outcomes."""
    with app.app_context():
        declare_write()
        session = db.session.get(ClassSession, session_id)
        db.session.add(Attendance(session_id=session_id, user_id=user_id(username),
                                  status=status, note=note))
        db.session.flush()
        outcome.refresh(session.training_class)
        db.session.commit()


def add_to_roster(app, class_id: int, username: str) -> None:
    with app.app_context():
        declare_write()
        db.session.add(ClassParticipant(class_id=class_id, user_id=user_id(username)))
        db.session.commit()


def csv_bytes(rows, *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with these sheets in order (a string starting '=' becomes a formula)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, app, url: str, data: bytes, filename: str):
    """POST a file with a CSRF token, the multipart body built in memory."""
    fields = {"csrf_token": csrf_token(client, app),
              "file": FileStorage(io.BytesIO(data), filename=filename)}
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def confirm_form(response) -> tuple[str, dict]:
    """The confirmation form of a preview page: its action and hidden fingerprint."""
    html = response.get_data(as_text=True)
    action = re.search(r'action="([^"]+/confirm)"', html)
    assert action, page_text(response)
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]*)"', html)
    return action.group(1), {"seen": seen.group(1) if seen else ""}


def confirm(client, app, response, **fields):
    action, data = confirm_form(response)
    data.update(fields)
    return post(client, app, action, data)


def sheet_url(class_id: int, session_id: int) -> str:
    return f"/classes/{class_id}/sessions/{session_id}/import"


def counts(app) -> dict[str, int]:
    """How many rows each table an import writes holds."""
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (TrainingClass, ClassSession, ClassParticipant, Attendance)}


def batches(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportBatch))


def attendance(app, session_id: int) -> dict[str, tuple[str, str, str]]:
    """username → (status, note, source) at a session."""
    from cchc_learn.auth.models import User

    with app.app_context():
        rows = db.session.execute(
            select(User.username, Attendance.status, Attendance.note, Attendance.source)
            .join(User, User.id == Attendance.user_id).where(Attendance.session_id == session_id))
        return {u: (s, n, src) for u, s, n, src in rows}


def roster(app, class_id: int) -> dict[str, object]:
    """username → attended_on for a class's roster."""
    from cchc_learn.auth.models import User

    with app.app_context():
        rows = db.session.execute(
            select(User.username, ClassParticipant.attended_on)
            .join(User, User.id == ClassParticipant.user_id)
            .where(ClassParticipant.class_id == class_id))
        return dict(rows.all())
