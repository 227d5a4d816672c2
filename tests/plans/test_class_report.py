"""/reports/classes: classes held, participations, people, attendance rate and trained through
classes, per unit rolled up and per class; downloads; who sees what; hostile query strings."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from class_records import make_class
from helpers import login, make_unit, make_user, page_text, post
from plan_world import make_materials, make_plan
from sqlalchemy import event, func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.clock import set_clock
from cchc_learn.extensions import db
from cchc_learn.plans.class_report import classes_report

TODAY = datetime(2026, 6, 30, 5, 0, tzinfo=UTC)
URL = "/reports/classes"


@pytest.fixture(autouse=True)
def fixed_clock():
    set_clock(lambda: TODAY)
    yield
    set_clock(None)


@pytest.fixture
def world(app):
    make_unit(app, "TINH", "UBND tỉnh", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA1", "Xã Một", "commune", parent="TINH")
    make_unit(app, "XA2", "Xã Hai", "commune", parent="TINH")
    make_user(app, "quantri", roles=("admin",), unit="SNV")
    make_user(app, "daumoi", roles=("official",), unit="XA1")
    p = {name: make_user(app, f"cb-{name}", unit=unit) for name, unit in
         [("a", "XA1"), ("b", "XA1"), ("c", "XA2")]}  # fmt: skip
    p["e"] = make_user(app, "cb-e")  # no unit
    make_materials(app)
    make_plan(app)
    march = [date(2026, 3, 2), date(2026, 3, 3)]
    k1 = make_class(app, "Lớp K1", days=march, modules=["m1"],
                    participants=[p["a"], p["b"], p["c"]],
                    present={p["b"]: ["present", "absent"], p["c"]: ["late", "late"]})
    with app.app_context():  # e was not on the roster but signed in at the first session
        from cchc_learn.classes.models import Attendance
        from cchc_learn.database import declare_write

        declare_write()
        db.session.add(Attendance(session_id=k1["sessions"][0], user_id=p["e"], status="present"))
        db.session.commit()
    make_class(app, "Lớp K2", days=[date(2026, 2, 10)], plans=["ke-hoach-thu"],
               participants=[p["a"]], fmt="online")
    make_class(app, "Lớp năm ngoái", days=[date(2025, 11, 3)], modules=["m1"],
               participants=[p["b"]])
    make_class(app, "Lớp khác", days=[date(2026, 4, 6)], modules=["m2"], participants=[p["c"]])
    return p


def signed_in(app, username):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def figures(app, **kw):
    """(classes, participations, people, rate %, trained) per unit code and per class title."""
    with app.app_context():
        report = classes_report(kw.get("first"), kw.get("last"), kw.get("plan"), kw.get("unit"))

        def f(x):
            return (x.classes, x.participations, x.people,
                    None if x.rate is None else round(100 * x.rate, 2), x.trained)

        return ({line.code or "-": f(line.figures) for line in report.units},
                {line.title: f(line.figures) for line in report.classes}, f(report.total))


def test_the_figures_per_unit_per_class_and_in_total(app, world):
    units, classes, total = figures(app)
    # a: K1 (2/2) and K2 (1/1); b: K1 at one session of two (not attended); c: K1 late twice
    # and "Lớp khác"; e: no unit, present at K1's first session without being on its roster.
    assert units["XA1"] == (2, 2, 1, 80.0, 0)
    assert units["XA2"] == (2, 2, 1, 100.0, 0)
    assert units["-"] == (1, 0, 0, 100.0, 0)
    assert units["SNV"] == (0, 0, 0, None, 0)
    assert units["TINH"] == (3, 4, 2, 87.5, 0)
    assert total == (3, 4, 2, round(100 * 8 / 9, 2), 0)
    assert classes == {"Lớp K2": (1, 1, 1, 100.0, 0), "Lớp K1": (1, 2, 2, 85.71, 0),
                       "Lớp khác": (1, 1, 1, 100.0, 0)}  # fmt: skip
    assert list(classes) == ["Lớp K2", "Lớp K1", "Lớp khác"]  # by first session


def test_a_plan_keeps_its_serving_classes_and_counts_the_trained(app, world):
    units, classes, total = figures(app, plan="ke-hoach-thu")
    assert set(classes) == {"Lớp K1", "Lớp K2"}
    assert units["XA1"] == (2, 2, 1, 80.0, 1) and units["XA2"] == (1, 1, 1, 100.0, 1)
    assert classes["Lớp K1"][4] == 2 and classes["Lớp K2"][4] == 1
    assert total[4] == 2
    # The same officials as the compliance report's trained, as of the period's last day.
    from cchc_learn.plans.report import compliance

    with app.app_context():
        assert compliance("ke-hoach-thu", "2026-06-30").total.trained == 2
    # From March: K2 (February) is not held in the period; the trained count the plan's window.
    units, classes, _ = figures(app, plan="ke-hoach-thu", first="01/03/2026")
    assert set(classes) == {"Lớp K1"}
    assert units["XA1"] == (1, 1, 1, 75.0, 1)
    # Last year: only last year's class.
    units, classes, _ = figures(app, first="2025-01-01", last="2025-12-31")
    assert set(classes) == {"Lớp năm ngoái"} and units["XA1"] == (1, 1, 1, 100.0, 0)


def test_the_page_and_its_downloads_show_the_same_figures(app, world):
    admin = signed_in(app, "quantri")
    assert "Báo cáo lớp bồi dưỡng" in page_text(admin.get("/reports/"))
    assert "Báo cáo lớp bồi dưỡng" in page_text(admin.get("/"))
    page = admin.get(URL + "?plan=ke-hoach-thu")
    assert page.status_code == 200
    text = page_text(page)
    assert "Báo cáo lớp bồi dưỡng từ 01/01/2026 đến 30/06/2026" in text
    assert "2 lớp đã tổ chức" in text and "3 lượt tham dự (2 người)" in text
    assert "87,5 % tỷ lệ chuyên cần" in text and "2 người được bồi dưỡng qua lớp" in text
    assert "Xã Một XA1 2 2 1 80 % 1" in text
    assert "Lớp K1 Trực tiếp 2 buổi, 02/03/2026 – 03/03/2026 2 2 85,71 % 2" in text
    assert "Lớp K2 Trực tuyến 1 buổi, 10/02/2026 1 1 100 % 1" in text

    raw = admin.get(URL + "/download?format=csv&table=units&plan=ke-hoach-thu").get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == ["Đơn vị", "Mã đơn vị", "Lớp đã tổ chức", "Lượt tham dự", "Số người",
                        "Tỷ lệ chuyên cần (%)", "Được bồi dưỡng qua lớp (người)"]
    by_code = {row[1]: row[2:] for row in table[1:]}
    assert by_code["XA1"] == ["2", "2", "1", "80", "1"]
    assert table[-1] == ["Tổng cộng", "", "2", "3", "2", "87,5", "2"]
    raw = admin.get(URL + "/download?format=csv&table=classes").get_data()
    listed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert listed[1][:5] == ["Lớp K2", "Trực tuyến", "1", "10/02/2026", "10/02/2026"]

    response = admin.get(URL + "/download?format=xlsx&plan=ke-hoach-thu")
    assert response.headers["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Theo đơn vị", "Theo lớp"]
    cells = [[c.value for c in row] for row in book["Theo đơn vị"].iter_rows()]
    xa1 = next(row for row in cells if row[1] == "XA1")
    assert xa1[2:] == [2, 2, 1, 0.8, 1]
    assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)


def test_formula_like_titles_stay_text(app, world):
    make_class(app, '=HYPERLINK("http://x","bấm")', days=[date(2026, 5, 5)], modules=["m1"])
    admin = signed_in(app, "quantri")
    raw = admin.get(URL + "/download?format=csv&table=classes").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in raw
    book = openpyxl.load_workbook(io.BytesIO(admin.get(URL + "/download?format=xlsx").get_data()))
    titles = [row[0].value for row in book["Theo lớp"].iter_rows()]
    assert '=HYPERLINK("http://x","bấm")' in titles
    assert not any(c.data_type == "f" for row in book["Theo lớp"].iter_rows() for c in row)


def test_a_focal_point_sees_its_subtree_only(app, world):
    admin = signed_in(app, "quantri")
    make_user(app, "chuagiao", roles=("focal",))  # the role, but no unit assigned yet
    unassigned = signed_in(app, "chuagiao")
    assert "Bạn chưa được giao đơn vị nào" in page_text(unassigned.get(URL))
    assert unassigned.get(URL + "?unit=XA1").status_code == 404
    assert signed_in(app, "daumoi").get(URL).status_code == 403  # not yet a focal point
    response = post(admin, app, "/reports/focal-points", {"username": "daumoi", "unit": "XA1"})
    assert response.status_code == 302
    focal = signed_in(app, "daumoi")
    text = page_text(focal.get(URL))
    assert "Xã Một" in text and "Xã Hai" not in text and "UBND tỉnh" not in text
    assert "Lớp K1 Trực tiếp 2 buổi, 02/03/2026 – 03/03/2026 1 1 75 %" in text
    assert "Lớp khác" not in text  # no one of XA1 took part
    for unit in ("XA2", "TINH", "SNV"):
        assert focal.get(URL + f"?unit={unit}").status_code == 404
        assert focal.get(URL + f"/download?format=csv&unit={unit}").status_code == 404
    raw = focal.get(URL + "/download?format=csv&table=units").get_data().decode("utf-8-sig")
    assert "XA2" not in raw and "XA1" in raw
    assert signed_in(app, "cb-a").get(URL).status_code == 403


@pytest.mark.parametrize(("query", "status", "message"), [
    ("from=31/02/2026", 400, "không phải ngày dạng ngày/tháng/năm"),
    ("from=2026-05-01&to=2026-04-01", 400, "phải trước hoặc trùng đến ngày"),
    ("to=2027-01-01", 400, "ở tương lai"),
    ("from=01/01/1900", 400, "năm phải trong khoảng"),
    ("from=" + "9" * 5000, 400, "không phải ngày"),
    ("unit=KHONG-CO", 400, "không tìm thấy đơn vị “KHONG-CO”"),
    ("unit=99999999999999999999999", 400, "không tìm thấy đơn vị"),
    ("unit=2147483648", 400, "không tìm thấy đơn vị"),
    ("unit=-1", 400, "không tìm thấy đơn vị"),
    ("plan=khong-co", 400, "không có kế hoạch mã “khong-co”"),
    ("plan=" + "x" * 3000, 400, "không có kế hoạch"),
    ("plan=ke-hoach-thu%00", 200, "Các lớp phục vụ kế hoạch “Kế hoạch thử 2026”"),
    ("from=2026%00-03-01&unit=XA%001", 200, "từ 01/03/2026"),
    ("unit=%00%00", 200, "mọi đơn vị"),
    ("from=%EF%BB%BF&to=%FF", 400, "không phải ngày"),
    ("format=%00evil&table=../../etc", 200, "Báo cáo lớp bồi dưỡng"),
])  # fmt: skip
def test_hostile_query_strings_get_a_vietnamese_message_and_write_nothing(
        app, world, query, status, message):
    admin = signed_in(app, "quantri")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = admin.get(f"{URL}?{query}")
    assert response.status_code == status, page_text(response)
    assert message in page_text(response)
    download = admin.get(f"{URL}/download?format=csv&{query}")
    assert download.status_code == status
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert before == after


def test_the_number_of_queries_does_not_grow_with_units_classes_or_people(app, world):
    def count() -> int:
        with app.app_context():
            statements = []

            def note(*args):
                statements.append(args[2])

            event.listen(db.engine, "before_cursor_execute", note)
            try:
                classes_report(None, None, "ke-hoach-thu", None)
            finally:
                event.remove(db.engine, "before_cursor_execute", note)
            return len(statements)

    small = count()
    for i in range(5):
        make_unit(app, f"XN{i}", f"Xã mới {i}", "commune", parent="TINH")
        users = [make_user(app, f"u{i}-{k}", unit=f"XN{i}") for k in range(3)]
        make_class(app, f"Lớp mới {i}", days=[date(2026, 4, 1), date(2026, 4, 2)],
                   plans=["ke-hoach-thu"], participants=users,
                   present={users[0]: ["absent", "present"]})
    assert count() == small
    units, _, total = figures(app, plan="ke-hoach-thu")
    assert units["XN0"] == (1, 2, 2, round(100 * 5 / 6, 2), 2)
    assert total[4] == 2 + 5 * 2
