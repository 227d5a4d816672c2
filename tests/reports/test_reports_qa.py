"""/reports/qa: the figures against a hand count, its downloads, its refusals, its queries.

The world (Vietnam time; the clock is moved by hand):

    TINH ─┬─ SNV                  a2, a4 (a4 later placed in XA back to 01/02/2026)
          └─ XA ── VP (office)    a3 in XA (moves to SNV on 10/03, after asking); a1 in VP

Asked in March 2026 (Monday 02/03 08:00 unless said):
    q1 a1  claimed by giaidap, answered Tue 03/03 08:00   on time, 1 working day
    q2 a2  claimed by giaidap2, answered Fri 06/03 08:00  late (due Thu 17:00), 4 working days
    q3 a1  giaidap asks for information Mon 10:00, a1 replies Wed 04/03 08:00, giaidap answers
           Wed 10:00                                      on time, 2 h + 2 h = 4/9.5 day
    q4 a3  nobody takes it                                open, overdue (due Thu 05/03 17:00)
    q5 a4  asked Mon 09/03 08:00, claimed by giaidap2     open, due Thu 12/03
    q6 a2  hidden by giaidap                              not counted
    q7 a1  asked Fri 27/02, answered                      outside the period
The report is read on Tue 10/03 12:00.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import login, make_unit, make_user, page_text
from openpyxl import load_workbook
from sqlalchemy import event, select

from cchc_learn.auth.models import User
from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import service as org_service
from cchc_learn.qa import moderation, service
from cchc_learn.qa.models import Question
from cchc_learn.reports.period import read_period
from cchc_learn.reports.qa_figures import percentile, qa_report

URL = "/reports/qa"
MARCH = {"from": "01/03/2026", "to": "31/03/2026"}
Q3_DAYS = 4 / 9.5


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def run(app, func, *args, **kwargs):
    with app.app_context():
        declare_write()
        try:
            result = func(*args, **kwargs)
            return getattr(result, "id", result)
        finally:
            declare_write(False)


@pytest.fixture
def world(app, clock):
    make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_unit(app, "VP", "Văn phòng xã Mỹ Hòa Hưng", "office", parent="XA")
    ids = {
        "a1": make_user(app, "a1", unit="VP", full_name="Cán bộ Một"),
        "a2": make_user(app, "a2", unit="SNV", full_name="Cán bộ Hai"),
        "a3": make_user(app, "a3", unit="XA", full_name="Cán bộ Ba"),
        "a4": make_user(app, "a4", unit="SNV", full_name="Cán bộ Bốn"),
        "giaidap": make_user(app, "giaidap", roles=("moderator",), unit="SNV",
                             full_name="Lê Thị Ngọc Hân"),
        "giaidap2": make_user(app, "giaidap2", roles=("moderator",), unit="SNV",
                              full_name="Trần Quốc Việt"),
        "quantri": make_user(app, "quantri", roles=("admin",), unit="SNV",
                             full_name="Quản trị viên"),
    }

    def ask(who: str, title: str, at: datetime) -> int:
        clock.current = at
        return run(app, service.ask, ids[who], title, "", ["PAR-INDEX"])

    mod, mod2 = ids["giaidap"], ids["giaidap2"]
    q7 = ask("a1", "Câu hỏi tháng trước?", local(27, 8, month=2))
    run(app, service.answer, q7, mod, "Trả lời.")
    q1 = ask("a1", "Câu hỏi một?", local(2, 8))
    q2 = ask("a2", "Câu hỏi hai?", local(2, 8))
    q3 = ask("a1", "Câu hỏi ba?", local(2, 8))
    ask("a3", "Câu hỏi bốn?", local(2, 8))
    q6 = ask("a2", "Nội dung quảng cáo", local(2, 8))
    run(app, service.claim, q1, mod)
    run(app, service.claim, q2, mod2)
    run(app, moderation.hide, q6, mod, "Quảng cáo")
    clock.current = local(2, 10)
    run(app, service.request_info, q3, mod, "Anh/chị cho biết thêm?")
    clock.current = local(3, 8)
    run(app, service.answer, q1, mod, "Trả lời một.")
    clock.current = local(4, 8)
    run(app, service.reply, q3, ids["a1"], "Thêm đây.")
    clock.current = local(4, 10)
    run(app, service.answer, q3, mod, "Trả lời ba.")
    clock.current = local(6, 8)
    run(app, service.answer, q2, mod2, "Trả lời hai.")
    q5 = ask("a4", "Câu hỏi năm?", local(9, 8))
    run(app, service.claim, q5, mod2)
    with app.app_context():
        declare_write()
        # a3 moves after asking; a4's unit is corrected back to February (after asking).
        users = {u.username: u for u in db.session.scalars(select(User))}
        org_service.assign(users["a3"], org_service.get_by_code("SNV"), on=date(2026, 3, 10))
        org_service.assign(users["a4"], org_service.get_by_code("XA"), on=date(2026, 2, 1))
        db.session.commit()
        declare_write(False)
    clock.current = local(10, 12)
    return ids


def figures(app, username: str, period=("01/03/2026", "31/03/2026"), unit=None):
    with app.app_context():
        viewer = db.session.scalar(select(User).where(User.username == username))
        report = qa_report(viewer, read_period(*period), unit)
        return report


def as_tuple(f) -> tuple:
    return (f.asked, f.answered, f.on_time, f.backlog, f.overdue)


def test_first_answers_keep_whether_they_were_on_time_and_their_working_days(app, world):
    with app.app_context():
        kept = {q.title: (q.first_answer_on_time, q.first_answer_workdays)
                for q in db.session.scalars(select(Question))}
    assert kept["Câu hỏi một?"] == (True, 1.0)
    assert kept["Câu hỏi hai?"] == (False, 4.0)
    assert kept["Câu hỏi ba?"] == (True, pytest.approx(Q3_DAYS, abs=1e-4))
    assert kept["Câu hỏi bốn?"] == (None, None)


def test_units_are_rolled_up_and_the_unit_is_the_askers_on_the_day_asked(app, world):
    report = figures(app, "quantri")
    rows = {row.label: row for row in report.units}
    assert [(r.label, r.depth) for r in report.units] == [
        ("UBND tỉnh Thử nghiệm", 0), ("Sở Nội vụ", 1), ("Xã Mỹ Hòa Hưng", 1),
        ("Văn phòng xã Mỹ Hòa Hưng", 2)]
    assert as_tuple(rows["Văn phòng xã Mỹ Hòa Hưng"].figures) == (2, 2, 2, 0, 0)
    # q4 (a3 moved away later) and q5 (a4's unit corrected back) count in the commune.
    assert as_tuple(rows["Xã Mỹ Hòa Hưng"].figures) == (4, 2, 2, 2, 1)
    assert as_tuple(rows["Sở Nội vụ"].figures) == (1, 1, 0, 0, 0)
    assert as_tuple(rows["UBND tỉnh Thử nghiệm"].figures) == (5, 3, 2, 2, 1)
    assert as_tuple(report.total) == (5, 3, 2, 2, 1)

    vp = rows["Văn phòng xã Mỹ Hòa Hưng"].figures
    assert vp.median == pytest.approx((1 + Q3_DAYS) / 2, abs=1e-4)
    assert vp.p90 == pytest.approx(Q3_DAYS + 0.9 * (1 - Q3_DAYS), abs=1e-4)
    province = rows["UBND tỉnh Thử nghiệm"].figures
    assert province.median == pytest.approx(1.0)
    assert province.p90 == pytest.approx(1 + 0.8 * 3, abs=1e-4)
    assert province.on_time_share == pytest.approx(2 / 3)
    assert rows["Sở Nội vụ"].figures.on_time_share == 0


def test_moderators_rows_hold_the_questions_assigned_to_them(app, world):
    report = figures(app, "quantri")
    rows = {row.label: row.figures for row in report.moderators}
    assert list(rows) == ["Lê Thị Ngọc Hân", "Trần Quốc Việt", "Chưa phân công"]
    assert as_tuple(rows["Lê Thị Ngọc Hân"]) == (2, 2, 2, 0, 0)
    assert as_tuple(rows["Trần Quốc Việt"]) == (2, 1, 0, 1, 0)
    assert as_tuple(rows["Chưa phân công"]) == (1, 0, 0, 1, 1)
    assert rows["Trần Quốc Việt"].median == rows["Trần Quốc Việt"].p90 == 4.0
    assert rows["Chưa phân công"].median is None


def test_a_moderator_sees_only_the_figures_of_their_own_questions(app, world):
    report = figures(app, "giaidap")
    assert report.scope == "Lê Thị Ngọc Hân"
    assert [r.label for r in report.moderators] == ["Lê Thị Ngọc Hân"]
    assert as_tuple(report.total) == (2, 2, 2, 0, 0)
    assert {r.label: as_tuple(r.figures) for r in report.units} == {
        "UBND tỉnh Thử nghiệm": (2, 2, 2, 0, 0), "Xã Mỹ Hòa Hưng": (2, 2, 2, 0, 0),
        "Văn phòng xã Mỹ Hòa Hưng": (2, 2, 2, 0, 0)}


def test_a_unit_and_a_period_narrow_the_figures(app, world):
    with app.app_context():
        xa = org_service.get_by_code("XA")
        report = qa_report(db.session.get(User, world["quantri"]),
                           read_period("01/03/2026", "31/03/2026"), xa)
    assert [(r.label, r.depth) for r in report.units] == [
        ("Xã Mỹ Hòa Hưng", 0), ("Văn phòng xã Mỹ Hòa Hưng", 1)]
    assert as_tuple(report.total) == (4, 2, 2, 2, 1)
    february = figures(app, "quantri", ("01/02/2026", "28/02/2026"))
    assert as_tuple(february.total) == (1, 1, 1, 0, 0)
    first_week = figures(app, "quantri", ("2026-03-01", "2026-03-08"))
    assert as_tuple(first_week.total) == (4, 3, 2, 1, 1)


def test_percentiles_interpolate_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([4.0, 1.0, 2.0, 3.0], 0.5) == 2.5
    assert percentile([float(n) for n in range(1, 11)], 0.9) == pytest.approx(9.1)


# --- the page and its downloads ---------------------------------------------------------------


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def test_the_page_shows_the_figures_the_vietnamese_way(app, world):
    client = signed_in(app, "quantri")
    response = client.get(URL, query_string=MARCH)
    assert response.status_code == 200
    text = page_text(response)
    assert "Báo cáo kênh hỏi đáp từ 01/03/2026 đến 31/03/2026" in text
    # Province: 5 asked, 3 answered, 2 on time, 66,67 %, median 1, p90 3,4, 2 open, 1 overdue.
    assert "UBND tỉnh Thử nghiệm 5 3 2 66,67 % 1 3,4 2 1" in text
    assert "Văn phòng xã Mỹ Hòa Hưng 2 2 2 100 % 0,71 0,94 0 0" in text
    assert "Sở Nội vụ 1 1 0 0 % 4 4 0 0" in text
    assert "Chưa phân công 1 0 0 — — — 1 1" in text
    assert "Tổng cộng 5 3 2 66,67 % 1 3,4 2 1" in text


def test_admins_and_moderators_reach_it_from_their_home_and_menu(app, world):
    admin = signed_in(app, "quantri")
    assert f'href="{URL}"' in admin.get("/admin/").get_data(as_text=True)
    moderator = signed_in(app, "giaidap")
    for page in ("/", "/qa/queue"):
        assert f'href="{URL}"' in moderator.get(page).get_data(as_text=True)
    page = page_text(moderator.get(URL, query_string=MARCH))
    assert "Câu hỏi được phân công cho Lê Thị Ngọc Hân" in page
    assert "Trần Quốc Việt" not in page
    official = signed_in(app, "a1")
    assert f'href="{URL}"' not in official.get("/").get_data(as_text=True)
    assert official.get(URL).status_code == 403
    assert official.get(f"{URL}/download").status_code == 403
    assert app.test_client().get(URL).status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "31/03/2026", "to": "01/03/2026"},
         "Từ ngày (31/03/2026) phải trước hoặc trùng đến ngày (01/03/2026)"),
        ({"from": "31/02/2026"}, "Từ ngày: “31/02/2026” không phải ngày dạng ngày/tháng/năm"),
        ({"to": "hôm nay"}, "Đến ngày: “hôm nay” không phải ngày"),
        ({"from": "01/03/1899"}, "Từ ngày: năm phải trong khoảng 2000–2100."),
        ({"from": "0\x001/03/2026x"}, "Từ ngày: “01/03/2026x” không phải ngày"),
        ({"unit": "KHONG-CO"}, "Đơn vị: không tìm thấy đơn vị “KHONG-CO”"),
        ({"unit": "987654321"}, "Đơn vị: không tìm thấy đơn vị “987654321”"),
        ({"unit": "a\x00b" * 50}, "Đơn vị: không tìm thấy đơn vị"),
    ],
)
def test_bad_input_gets_a_vietnamese_message(app, world, query, message):
    client = signed_in(app, "quantri")
    for path in (URL, f"{URL}/download"):
        response = client.get(path, query_string=query)
        assert response.status_code == 400
        assert message in page_text(response)
        assert response.mimetype == "text/html"


def test_the_csv_has_a_bom_and_people_formatted_numbers(app, world):
    client = signed_in(app, "quantri")
    response = client.get(f"{URL}/download", query_string={**MARCH, "format": "csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="bao-cao-hoi-dap-20260301-20260331-units.csv"' in response.headers[
        "Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Đơn vị", "Câu hỏi đã nhận", "Đã trả lời", "Trả lời đúng hạn"]
    assert rows[1] == ["UBND tỉnh Thử nghiệm", "5", "3", "2", "66,67", "1", "3,4", "2", "1"]
    assert rows[-1][0] == "Tổng cộng"
    moderators = client.get(f"{URL}/download", query_string={
        **MARCH, "format": "csv", "table": "moderators"})
    lines = list(csv.reader(io.StringIO(moderators.get_data().decode("utf-8-sig"))))
    assert lines[3] == ["Chưa phân công", "1", "0", "0", "", "", "", "1", "1"]


def test_the_xlsx_has_a_title_values_and_a_frozen_heading(app, world):
    client = signed_in(app, "quantri")
    response = client.get(f"{URL}/download", query_string={**MARCH, "format": "xlsx"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Theo đơn vị của người hỏi", "Theo người giải đáp"]
    sheet = book["Theo đơn vị của người hỏi"]
    assert sheet["A1"].value.startswith("Báo cáo kênh hỏi đáp từ 01/03/2026 đến 31/03/2026")
    assert sheet.freeze_panes == "B6"
    assert sheet["A5"].value == "Đơn vị" and sheet["B5"].value == "Câu hỏi đã nhận"
    province = [c.value for c in sheet[6]]
    assert province[:4] == ["UBND tỉnh Thử nghiệm", 5, 3, 2]
    assert province[4] == pytest.approx(2 / 3, abs=1e-4)
    assert sheet.cell(6, 5).number_format == "0.00%"
    assert province[5:] == [1, pytest.approx(3.4), 2, 1]
    assert sheet["A9"].alignment.indent == 2  # the office, two levels down


def test_typed_names_never_become_formulas(app, world):
    with app.app_context():
        declare_write()
        db.session.get(User, world["giaidap"]).full_name = "=HYPERLINK(\"http://x\",\"y\")"
        unit = org_service.get_by_code("SNV")
        unit.name = "+Sở Nội vụ"
        db.session.commit()
        declare_write(False)
    client = signed_in(app, "quantri")
    book = load_workbook(io.BytesIO(client.get(f"{URL}/download", query_string=MARCH)
                                    .get_data()))
    by_unit = [c for row in book["Theo đơn vị của người hỏi"].iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("+")]
    assert by_unit and all(c.data_type == "s" and c.quotePrefix for c in by_unit)
    names = [c for row in book["Theo người giải đáp"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
    csv_text = client.get(f"{URL}/download", query_string={
        **MARCH, "format": "csv", "table": "moderators"}).get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_the_number_of_queries_does_not_grow_with_units_or_questions(app, world, clock):
    def queries() -> int:
        with app.app_context():
            seen = []
            engine = db.engine

            def note(*_args):
                seen.append(1)

            event.listen(engine, "before_cursor_execute", note)
            try:
                viewer = db.session.get(User, world["quantri"])
                qa_report(viewer, read_period("01/03/2026", "31/03/2026"))
            finally:
                event.remove(engine, "before_cursor_execute", note)
            return len(seen)

    before = queries()
    for i in range(12):
        code = f"XA{i}"
        make_unit(app, code, f"Xã số {i}", "commune", parent="TINH")
        asker = make_user(app, f"moi{i}", unit=code)
        clock.current = local(9, 9) + timedelta(minutes=i)
        question = run(app, service.ask, asker, f"Câu hỏi mới {i}?", "", ["PCI"])
        run(app, service.answer, question, world["giaidap2"], "Trả lời.")
    clock.current = local(10, 12)
    assert queries() == before
    assert as_tuple(figures(app, "quantri").total) == (17, 15, 14, 2, 1)
