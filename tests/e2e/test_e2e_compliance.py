"""In a real browser: the admin drills from the province to an official who misses a lesson and
downloads the XLSX; that official completes the lesson from /me; the report as of today moves."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
from helpers import PASSWORD, make_unit, make_user
from playwright.sync_api import Page, expect

from cchc_learn.clock import local_today

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))
from plan_world import at, complete_all, make_materials, make_plan, record, view_all  # noqa: E402

from cchc_learn.tracking import events  # noqa: E402


def sign_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_finds_who_misses_a_lesson_and_the_report_moves(app, browser_pages):
    today = local_today()
    make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province")
    make_unit(app, "XA1", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_unit(app, "XA2", "Xã Chợ Mới", "commune", parent="TINH")
    make_user(app, "quantri", roles=("admin",), unit="TINH")
    hai = make_user(app, "cb-hai", unit="XA1", full_name="Trần Thị Hai")
    mot = make_user(app, "cb-mot", unit="XA2", full_name="Nguyễn Văn Một")
    ids = make_materials(app)
    make_plan(app, year=today.year, quiz=False)
    morning = at(today, 0)
    view_all(app, mot, ids, morning)
    complete_all(app, mot, ids, morning)
    view_all(app, hai, ids, morning)
    complete_all(app, hai, ids, morning, lessons=("l1",))
    record(app, hai, events.lesson_view(ids["l2"], 1), morning)

    admin = browser_pages.open()
    sign_in(admin, "quantri")
    admin.get_by_role("link", name="Báo cáo", exact=True).first.click()
    admin.get_by_role("link", name=f"Kế hoạch thử {today.year}").click()
    province = admin.locator("table.report-table").first
    expect(province.locator("tr", has_text="UBND tỉnh Thử nghiệm")).to_contain_text("Chưa đạt")
    province.get_by_role("link", name="Xã Mỹ Hòa Hưng").click()
    expect(admin.get_by_role("heading", name="Xã Mỹ Hòa Hưng (XA1)")).to_be_visible()
    person = admin.locator("tr", has_text="Trần Thị Hai")
    expect(person).to_contain_text("Xác nhận hoàn thành bài học: Bài 2")
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Excel (XLSX)").click()
    data = Path(download.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    xa1 = next(row for row in rows if row[0] == "XA1")
    assert (xa1[4], xa1[5], xa1[8]) == (1, 1, 0)

    official = browser_pages.open()
    sign_in(official, "cb-hai")
    official.goto("/me")
    expect(official.get_by_text("Xác nhận hoàn thành bài học: Bài 2")).to_be_visible()
    official.get_by_role("link", name="Bài 2").first.click()
    official.get_by_role("button", name="Hoàn thành bài học").click()
    official.goto("/me")
    expect(official.get_by_text("Bạn đã hoàn thành mọi yêu cầu của kế hoạch.")).to_be_visible()

    admin.reload()
    expect(admin.locator("tr", has_text="Trần Thị Hai")).to_contain_text("Đã được bồi dưỡng")
    admin.goto("/reports/")
    admin.get_by_role("link", name=f"Kế hoạch thử {today.year}").click()
    row = admin.locator("table.report-table").first.locator("tr", has_text="UBND tỉnh")
    expect(row).not_to_contain_text("Chưa đạt")
