"""The "attended" statement of a class session: its shape, validated by ralph-malph's model;
the tick's new source; the export; what a correction of attendance does."""

from __future__ import annotations

import json
from datetime import date

from class_records import make_class, set_status
from helpers import make_unit, make_user
from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import select
from test_xapi_statements import check
from xapi_world import SITE, build

from cchc_learn.classes.models import Attendance
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import service as org_service
from cchc_learn.plans import service as plan_service
from cchc_learn.xapi import sources
from cchc_learn.xapi import statements as st
from cchc_learn.xapi.models import XapiCursor, XapiStatement

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
PLAN = """---
title: {title}
starts: 2026-01-01
ends: 2026-12-31
audience:
  units: [TINH]
required:
  {required}
targets:
  accessed: 100
  trained: 85
---
"""


def plan(app, slug: str = "ke-hoach-lop", title: str = "Kế hoạch bồi dưỡng lớp học",
         required: str = "modules: [m1]") -> None:  # fmt: skip
    with app.app_context():
        declare_write()
        actor = db.session.scalar(select(org_service.User).order_by(org_service.User.id))
        text = PLAN.format(title=title, required=required)
        plan_service.save_plan(None, slug, text, actor)


def attended(app) -> list[dict]:
    with app.app_context():
        found = [st.build(e) for e in sources.events_between(None, None)
                 if e.kind == st.CLASS_ATTENDED]  # fmt: skip
        db.session.remove()
        return found


def attendance_id(app, session_id: int, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Attendance.id).where(
            Attendance.session_id == session_id, Attendance.user_id == user_id))


def test_attended_statements_are_valid_xapi_with_class_unit_and_plans(app):
    ids = build(app)
    official = ids["official"]
    other = make_user(app, "hocvien-b", unit="XA1")
    plan(app)
    # A document and a quiz, no lesson: served through its slug alone.
    plan(app, "ke-hoach-khac", "Kế hoạch khác", 'documents: ["1/QĐ-UBND"]\nquiz: kt')
    serving = make_class(app, "Lớp Một cửa liên thông", modules=["m1"],
                         days=[date(2026, 2, 9), date(2026, 2, 10)],
                         participants=[official, other],
                         present={official: ["present", "late"], other: ["absent", "excused"]})
    named = make_class(app, "Lớp theo kế hoạch khác", days=[date(2026, 2, 20)],
                       plans=["ke-hoach-khac"], participants=[official])
    lone = make_class(app, "Lớp không phục vụ kế hoạch nào", days=[date(2026, 2, 21)],
                      modules=["m9"], participants=[official])
    # The official moves after the sessions: a statement names the unit of the session's day.
    make_unit(app, "XA2", "UBND xã Hai", level="commune", parent="TINH")
    with app.app_context():
        declare_write()
        org_service.assign(db.session.get(org_service.User, official),
                           org_service.get_by_code("XA2"), on=date(2026, 2, 15))
        db.session.commit()

    found = attended(app)
    assert len(found) == 4  # absent and excused make no statement
    for statement in found:
        check(statement)
        BaseXapiStatement(**statement)
        assert statement["verb"] == {"id": ATTENDED, "display": {"en-US": "attended"}}
    first, second, third, fourth = found
    cid, (s1, s2) = serving["id"], serving["sessions"]
    assert first["object"]["id"] == f"{SITE}/classes/{cid}/sessions/{s1}"
    assert first["object"]["definition"] == {
        "type": "http://adlnet.gov/expapi/activities/meeting",
        "name": {"vi-VN": "Lớp Một cửa liên thông — buổi ngày 09/02/2026"}}
    assert first["context"]["contextActivities"]["parent"] == [{
        "objectType": "Activity", "id": f"{SITE}/classes/{cid}",
        "definition": {"type": "http://adlnet.gov/expapi/activities/course",
                       "name": {"vi-VN": "Lớp Một cửa liên thông"}}}]
    assert first["context"]["contextActivities"]["grouping"] == [{
        "objectType": "Activity", "id": f"{SITE}/reports/plans/ke-hoach-lop",
        "definition": {"name": {"vi-VN": "Kế hoạch bồi dưỡng lớp học"}}}]
    extensions = first["context"]["extensions"]
    assert extensions[f"{SITE}/xapi/extensions/unit"] == "XA1"
    assert extensions[f"{SITE}/xapi/extensions/attendance"] == "present"
    assert second["context"]["extensions"][f"{SITE}/xapi/extensions/attendance"] == "late"
    assert second["timestamp"] == "2026-02-10T08:00:00.000+07:00"
    assert first["id"] == st.statement_id(st.CLASS_ATTENDED, attendance_id(app, s1, official))
    assert second["id"] == st.statement_id(st.CLASS_ATTENDED, attendance_id(app, s2, official))
    assert [g["id"] for g in third["context"]["contextActivities"]["grouping"]] == [
        f"{SITE}/reports/plans/ke-hoach-khac"]
    session = named["sessions"][0]
    assert third["object"]["id"] == f"{SITE}/classes/{named['id']}/sessions/{session}"
    assert third["context"]["extensions"][f"{SITE}/xapi/extensions/unit"] == "XA2"
    assert "grouping" not in fourth["context"]["contextActivities"]
    parent = fourth["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == f"{SITE}/classes/{lone['id']}"
    assert "hocvien" not in json.dumps(found, ensure_ascii=False)
    assert [s["id"] for s in attended(app)] == [s["id"] for s in found]  # stable ids


def test_the_tick_collects_attendance_and_the_export_includes_it(
        app, runner, clock, start_store, tmp_path):
    ids = build(app)
    official = ids["official"]
    plan(app)
    # The fake clock stands on 2 March 2026: February is recent, January 5 is not.
    old = make_class(app, "Lớp tháng một", days=[date(2026, 1, 5)], modules=["m1"],
                     participants=[official], present={official: ["absent"]})
    recent = make_class(app, "Lớp tháng hai", days=[date(2026, 2, 23), date(2026, 2, 24)],
                        modules=["m1"], participants=[official],
                        present={official: ["absent", "present"]})
    first, second = recent["sessions"]
    store = start_store(fail_first=False)
    assert "thu thập 12 câu lệnh, đã gửi 12" in runner.invoke(args=["tick"]).output
    kept = [s for _, batch in store.posts for s in batch if s["verb"]["id"] == ATTENDED]
    assert len(kept) == 1 and kept[0]["object"]["id"].endswith(f"/sessions/{second}")
    clock.advance(minutes=20)
    runner.invoke(args=["tick"])
    position = attendance_id(app, second, official)
    with app.app_context():
        assert db.session.get(XapiCursor, "attendance").position == position
    assert attendance_id(app, old["sessions"][0], official) < attendance_id(
        app, first, official) < position

    # Both corrected to present behind the read position: the recent session is scanned
    # again and its statement goes out; January's is older than REOPEN and stays behind.
    set_status(app, recent["id"], first, official, "present")
    set_status(app, old["id"], old["sessions"][0], official, "present")
    out = runner.invoke(args=["tick"]).output
    assert "thu thập 1 câu lệnh, đã gửi 1" in out, out
    assert store.posts[-1][1][0]["object"]["id"].endswith(f"/sessions/{first}")
    # The export reads the tables as they are now: the old session's correction is in it.
    target = tmp_path / "lop.jsonl"
    result = runner.invoke(args=["xapi", "export", "--since", "2026-01-01", "-o", str(target)])
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    objects = [s["object"]["id"] for s in exported if s["verb"]["id"] == ATTENDED]
    assert objects == [f"{SITE}/classes/{old['id']}/sessions/{old['sessions'][0]}",
                       *(f"{SITE}/classes/{recent['id']}/sessions/{s}" for s in recent["sessions"])]

    # Changed to absent after it was sent: the store keeps it; the export leaves it out.
    set_status(app, recent["id"], second, official, "absent")
    assert "thu thập 0 câu lệnh" in runner.invoke(args=["tick"]).output
    with app.app_context():
        sent = db.session.scalars(select(XapiStatement).where(
            XapiStatement.kind == st.CLASS_ATTENDED)).all()
        assert len(sent) == 2 and all(row.sent_at is not None for row in sent)
    assert runner.invoke(args=["xapi", "export", "-o", str(target)]).exit_code == 0
    again = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sum(s["verb"]["id"] == ATTENDED for s in again) == 2
    assert set(store.kept.values()) == {1}
