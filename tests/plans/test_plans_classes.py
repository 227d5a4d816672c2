"""Classes count toward plans: an attended class that serves a plan trains its officials.

Classes, sessions, rosters and attendance are written straight into their tables, and each
participant's outcome kept by `classes.outcome.refresh`, as the classes services do.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from class_records import attended_on, make_class, set_status
from helpers import login, make_unit, make_user, page_text
from plan_world import at, complete_all, make_materials, make_plan, pass_quiz, view_all
from sqlalchemy import event

from cchc_learn.clock import set_clock
from cchc_learn.extensions import db
from cchc_learn.plans import counting
from cchc_learn.plans.details import official_rows, trend
from cchc_learn.plans.models import Plan
from cchc_learn.plans.report import compliance

TODAY = datetime(2026, 6, 30, 5, 0, tzinfo=UTC)
MARCH = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


@pytest.fixture(autouse=True)
def fixed_clock():
    set_clock(lambda: TODAY)
    yield
    set_clock(None)


@pytest.fixture
def world(app):
    make_unit(app, "TINH", "UBND tỉnh", "province")
    make_unit(app, "XA1", "Xã Một", "commune", parent="TINH")
    make_unit(app, "XA2", "Xã Hai", "commune", parent="TINH")
    make_user(app, "quantri", roles=("admin",), unit="TINH")
    people = {
        name: make_user(app, name, unit=unit, full_name=full)
        for name, unit, full in [
            ("cb-lop", "XA1", "Lê Văn Lớp"),
            ("cb-vang", "XA1", "Phạm Thị Vắng"),
            ("cb-hoc", "XA2", "Trần Văn Học"),
        ]
    }
    ids = make_materials(app)
    make_plan(app)
    return people, ids


def rows(app, as_of="2026-06-01", slug="ke-hoach-thu") -> dict[str, dict]:
    with app.app_context():
        return {r["code"]: r for r in compliance(slug, as_of).as_json()["units"]}


def signed_in(app, username):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def test_an_attended_class_trains_in_the_report_csv_json_drill_down_and_me(app, world):
    people, _ = world
    # Three sessions, two of three needed: cb-vang is present once only.
    klass = make_class(app, "Lớp một cửa liên thông", days=MARCH, modules=["m1"], min_percent=60,
                       participants=[people["cb-lop"], people["cb-vang"]],
                       present={people["cb-lop"]: ["present", "late", "absent"],
                                people["cb-vang"]: ["present", "absent", "excused"]})
    assert attended_on(app, klass["id"], people["cb-lop"]) == date(2026, 3, 9)
    assert attended_on(app, klass["id"], people["cb-vang"]) is None

    got = rows(app)
    assert (got["XA1"]["roster"], got["XA1"]["trained"], got["XA1"]["accessed"]) == (2, 1, 0)
    assert (got["XA1"]["classes"], got["XA1"]["participations"]) == (1, 1)
    assert (got["TINH"]["trained"], got["TINH"]["trained_pct"]) == (1, 33.3)
    assert (got["XA2"]["classes"], got["XA2"]["participations"]) == (0, 0)

    admin = signed_in(app, "quantri")
    api = admin.get("/api/v1/reports/compliance?plan=ke-hoach-thu&as_of=2026-06-01").get_json()
    assert {u["code"]: (u["trained"], u["classes"], u["participations"])
            for u in api["units"]} == {"TINH": (1, 1, 1), "XA1": (1, 1, 1), "XA2": (0, 0, 0)}
    raw = admin.get("/reports/plans/ke-hoach-thu/export?format=csv&as_of=2026-06-01").get_data()
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][-2:] == ["Lớp bồi dưỡng đã tham dự (lớp)", "Tham dự lớp (lượt)"]
    by_code = {row[0]: row for row in table[1:]}
    assert (by_code["XA1"][8], by_code["XA1"][12], by_code["XA1"][13]) == ("1", "1", "1")
    book = openpyxl.load_workbook(io.BytesIO(admin.get(
        "/reports/plans/ke-hoach-thu/export?format=xlsx&as_of=2026-06-01").get_data()))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    xa1 = next(row for row in cells if row[0] == "XA1")
    assert (xa1[8], xa1[12], xa1[13]) == (1, 1, 1)
    assert any(isinstance(v, str) and v.startswith("Lớp phục vụ kế hoạch:")
               for row in cells for v in row)

    page = page_text(admin.get("/reports/plans/ke-hoach-thu?as_of=2026-06-01&unit=XA1"))
    assert "1 lớp bồi dưỡng phục vụ kế hoạch, 1 lượt tham dự" in page
    assert "Đã được bồi dưỡng qua lớp Lớp một cửa liên thông (09/03/2026)" in page
    assert "Lớp phục vụ kế hoạch" in page  # the definitions at the foot of the page
    with app.app_context():
        report = compliance("ke-hoach-thu", "2026-06-01")
        listed = {r.username: r for r in official_rows(report)[0]}
    assert listed["cb-lop"].state == "trained"
    assert [c.title for c in listed["cb-lop"].classes] == ["Lớp một cửa liên thông"]
    # Trained through the class, only opening the materials is still to do.
    assert {m.what for m in listed["cb-lop"].missing} == {"open"}
    assert listed["cb-vang"].state == "not_started" and listed["cb-vang"].classes == ()

    me = page_text(signed_in(app, "cb-lop").get("/me"))
    assert "Tình trạng: Đã được bồi dưỡng" in me
    assert "Đã được bồi dưỡng qua lớp Lớp một cửa liên thông (đạt ngày 09/03/2026)" in me
    assert "Xác nhận hoàn thành bài học" not in me and "Mở bài học: Bài 1" in me
    other = page_text(signed_in(app, "cb-vang").get("/me"))
    assert "Tình trạng: Chưa bắt đầu" in other
    assert "Tham dự đủ số buổi của một lớp bồi dưỡng phục vụ kế hoạch này (1 lớp)" in other

    # A correction moves the outcome: cb-vang present at the third session now reaches it.
    set_status(app, klass["id"], klass["sessions"][2], people["cb-vang"], "late")
    assert rows(app)["XA1"]["trained"] == 2 and rows(app)["XA1"]["participations"] == 2


def test_a_class_serves_through_its_modules_or_through_the_plan_slug(app, world):
    people, _ = world
    lop, vang, hoc = people["cb-lop"], people["cb-vang"], people["cb-hoc"]
    make_class(app, "Chuyên đề khác", days=MARCH[:1], modules=["m2"], participants=[lop])
    assert rows(app)["TINH"]["trained"] == 0  # does not teach m1
    make_class(app, "Có đủ chuyên đề", days=MARCH[:1], modules=["m2", "m1"], participants=[vang])
    make_class(app, "Ghi mã kế hoạch", days=MARCH[1:2], plans=["ke-hoach-thu"],
               participants=[hoc, vang])
    got = rows(app)
    assert (got["XA1"]["trained"], got["XA2"]["trained"]) == (1, 1)
    assert (got["TINH"]["classes"], got["TINH"]["participations"]) == (2, 3)
    assert (got["XA1"]["classes"], got["XA1"]["participations"]) == (2, 2)

    # A plan requiring no lesson (documents only) is served through its slug alone.
    with app.app_context():
        plan = db.session.scalar(db.select(Plan).where(Plan.slug == "ke-hoach-thu"))
        assert counting.plan_modules(plan) == {"m1"}
        assert counting.serves(plan, ["m1", "m9"], []) and not counting.serves(plan, ["m9"], [])
        assert counting.serves(plan, [], ["ke-hoach-thu"])
        assert not counting.serves(plan, "m1", None)  # not lists: names nothing
        plan.required_modules, plan.required_lessons = [], []
        assert counting.plan_modules(plan) == set()
        assert not counting.serves(plan, ["m1", "m2"], []) and counting.serves(
            plan, [], ["ke-hoach-thu"])
        plan.required_lessons = ["m3/l1"]
        assert counting.serves(plan, ["m3"], []) and not counting.serves(plan, ["m1"], [])
        db.session.rollback()


def test_attendance_outside_the_window_does_not_train(app, world):
    people, _ = world
    lop, hoc = people["cb-lop"], people["cb-hoc"]
    make_class(app, "Lớp năm trước", days=[date(2025, 12, 15)], modules=["m1"],
               participants=[lop])
    make_class(app, "Lớp tháng năm", days=[date(2026, 5, 4), date(2026, 5, 11)],
               modules=["m1"], participants=[hoc])
    assert rows(app, "2026-06-01")["XA1"]["trained"] == 0  # before the plan's first day
    assert rows(app, "2026-06-01")["XA1"]["participations"] == 0
    assert rows(app, "2026-05-10")["XA2"]["trained"] == 0  # second session after the as-of date
    assert rows(app, "2026-05-11")["XA2"]["trained"] == 1
    assert rows(app, "2026-05-11")["XA2"]["classes"] == 1
    with app.app_context():
        points = {p.day: p.trained for p in trend(compliance("ke-hoach-thu", "2026-06-01"))}
    assert points[date(2026, 5, 6)] == 0 and points[date(2026, 5, 13)] == 1


def test_lessons_and_a_class_count_one_official_once(app, world):
    people, ids = world
    lop = people["cb-lop"]
    view_all(app, lop, ids, at(date(2026, 2, 1)))
    complete_all(app, lop, ids, at(date(2026, 2, 2)))
    pass_quiz(app, lop, ids["quiz"], at(date(2026, 2, 3)))
    make_class(app, days=MARCH[:1], modules=["m1"], participants=[lop])
    got = rows(app)
    assert (got["XA1"]["trained"], got["XA1"]["accessed"], got["XA1"]["participations"]) == (
        1, 1, 1)


def test_the_number_of_queries_does_not_grow_with_classes_units_or_officials(app, world):
    people, ids = world

    def count() -> int:
        with app.app_context():
            # The plan's kept progress brought up to date first (plans/reached.py; how many
            # statements that takes is tested there): this counts the report itself.
            compliance("ke-hoach-thu", "2026-06-01")
            statements = []

            def note(*args):
                statements.append(args[2])

            event.listen(db.engine, "before_cursor_execute", note)
            try:
                report = compliance("ke-hoach-thu", "2026-06-01")
                official_rows(report)
                trend(report)
            finally:
                event.remove(db.engine, "before_cursor_execute", note)
            return len(statements)

    make_class(app, days=MARCH[:1], modules=["m1"], participants=[people["cb-lop"]])
    small = count()
    for i in range(6):
        make_unit(app, f"XN{i}", f"Xã mới {i}", "commune", parent="TINH")
        users = [make_user(app, f"u{i}-{k}", unit=f"XN{i}") for k in range(2)]
        view_all(app, users[0], ids, at(date(2026, 3, 1)))
        make_class(app, f"Lớp {i}", days=MARCH[:2], plans=["ke-hoach-thu"], participants=users)
    assert count() == small
    assert rows(app)["TINH"]["trained"] == 13
