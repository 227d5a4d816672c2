"""In a real browser: an admin imports officials from a CSV file, preview first."""

from __future__ import annotations

import csv
import re

from helpers import make_unit, make_user
from playwright.sync_api import Page, expect

HEADER = ["Tên đăng nhập", "Họ và tên", "Email", "Mã đơn vị", "Chức danh", "Vai trò"]
OFFICIALS = [
    ["nguyen.van.an", "Nguyễn Văn An", "an@angiang.gov.vn", "SNV", "Chuyên viên", "Học viên"],
    ["tran.thi.binh", "Trần Thị Bình", "", "XA-MYHOA", "Công chức Văn phòng", ""],
]


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def write_csv(path, rows) -> str:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return str(path)


def upload(page: Page, path: str) -> None:
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.get_by_label("Tệp chứa").select_option("accounts")
    page.get_by_label("Tệp CSV (UTF-8) hoặc Excel (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và xem trước").click()


def test_admin_imports_officials_from_a_csv_after_the_preview(app, page, tmp_path):
    make_unit(app, "TINH", "Tỉnh An Giang", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA-MYHOA", "Xã Mỹ Hòa", "commune", parent="TINH")
    make_user(app, "quantri", roles=("admin",), full_name="Nguyễn Thị Thanh Hương")
    sign_in(page, "quantri", "Mat-khau-rat-dai-2025")
    page.goto("/admin/")

    upload(page, write_csv(tmp_path / "can-bo.csv", [HEADER, *OFFICIALS]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem trước: can-bo.csv")
    expect(page.get_by_test_id("import-counts")).to_contain_text("2 tạo mới")
    rows = page.locator("table.import-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Tạo mới")
    expect(rows.nth(0)).to_contain_text("Nguyễn Văn An")
    expect(rows.nth(1)).to_contain_text("Trần Thị Bình")

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "Đã tạo mới 2 tài khoản; 0 dòng không đổi."
    )
    issued = page.locator("table.issued-passwords tbody tr")
    expect(issued).to_have_count(2)
    expect(issued.nth(0)).to_contain_text("nguyen.van.an")

    page.get_by_role("link", name="Xem danh sách tài khoản").click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    listing = page.locator("table.users-table")
    expect(listing).to_contain_text("Nguyễn Văn An")
    expect(listing).to_contain_text("Trần Thị Bình")
    expect(listing.locator("tr", has_text="tran.thi.binh")).to_contain_text("Xã Mỹ Hòa")
    expect(listing.locator("tr", has_text="nguyen.van.an")).to_contain_text("Chờ đổi mật khẩu")


def test_admin_sees_each_bad_row_and_no_confirm_button(app, page, tmp_path):
    make_unit(app, "SNV", "Sở Nội vụ", "department")
    make_user(app, "quantri", roles=("admin",), full_name="Nguyễn Thị Thanh Hương")
    sign_in(page, "quantri", "Mat-khau-rat-dai-2025")
    page.goto("/admin/")
    bad = [HEADER, OFFICIALS[0], ["le.c", '=HYPERLINK("http://x","y")', "", "KHONG-CO", "", ""]]
    upload(page, write_csv(tmp_path / "loi.csv", bad))
    expect(page.get_by_role("alert")).to_contain_text("không có gì được ghi")
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Họ và tên")
    expect(errors.nth(0)).to_contain_text("công thức bảng tính")
    expect(errors.nth(1)).to_contain_text("Không có đơn vị mã KHONG-CO")
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    page.goto("/admin/users")
    expect(page.locator("table.users-table")).not_to_contain_text("le.c")
