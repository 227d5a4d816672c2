"""In a real browser: a training class from creation to an official's self check-in.

A trainer creates a class with a session in progress and puts officials on its roster (one by
one and a whole unit); on a phone (375 × 740) the trainer's session page shows the code, an
official types it on their phone (in lower case) and sees the class on /me; the trainer then takes
attendance on the phone-sized grid ("Tất cả có mặt", one person late), with large tap targets
and nothing wider than the screen.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from helpers import PASSWORD
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cchc_learn.clock import set_clock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "classes"))
from class_world import MONDAY_0830, build_world  # noqa: E402

from cchc_learn.classes.models import Attendance  # noqa: E402
from cchc_learn.extensions import db  # noqa: E402

PHONE = {"width": 375, "height": 740}
SHOTS = Path(os.environ["CCHC_SCREENSHOTS"]) if os.environ.get("CCHC_SCREENSHOTS") else None


@pytest.fixture
def monday():
    set_clock(lambda: MONDAY_0830)
    yield
    set_clock(None)


def sign_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Xin chào"))


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 375 px screen"


def create_class_with_roster(page: Page) -> None:
    sign_in(page, "giangvien")
    page.locator(".cards").get_by_role("link", name="Lớp bồi dưỡng").click()  # home card
    page.get_by_role("link", name="Tạo lớp").click()
    page.get_by_label("Tên lớp").fill("Lớp nghiệp vụ một cửa cấp xã")
    page.get_by_label("Địa điểm").fill("Hội trường UBND tỉnh")
    page.get_by_label("Một cửa liên thông").check()
    page.get_by_label("Kế hoạch bồi dưỡng quý I").check()
    page.get_by_role("button", name="Lưu lớp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lớp nghiệp vụ một cửa cấp xã")

    page.get_by_role("link", name="Thêm buổi học").first.click()
    page.get_by_label("Ngày học").fill("2026-03-02")
    page.get_by_label("Giờ bắt đầu").fill("08:30")
    page.get_by_label("Giờ kết thúc").fill("11:00")
    page.get_by_label("Nội dung buổi học").fill("Tiếp nhận hồ sơ")
    page.get_by_role("button", name="Lưu buổi học").click()
    expect(page.get_by_text("Đang diễn ra")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Danh sách học viên")).click()
    page.get_by_label("Tên đăng nhập hoặc họ tên").fill("le thi chi")  # folded
    page.get_by_role("button", name="Tìm").click()
    page.locator(".candidates li", has_text="Lê Thị Chi").get_by_role("button",
                                                                      name="Thêm").click()
    expect(page.get_by_text("Đã thêm Lê Thị Chi vào danh sách lớp.")).to_be_visible()
    page.get_by_label("Đơn vị (gồm cả đơn vị cấp dưới)").select_option(
        label="— Xã Mỹ Hòa Hưng (XA1)")
    page.get_by_role("button", name="Thêm cả đơn vị").click()
    expect(page.get_by_text("Đã thêm 3 học viên.")).to_be_visible()
    expect(page.locator(".roster-row")).to_have_count(4)


def test_a_class_from_creation_to_self_check_in(app, monday, browser_pages):
    build_world(app)
    desk = browser_pages.open()
    create_class_with_roster(desk)

    # The trainer's phone: today's session is on the home page; its page shows the code.
    trainer = browser_pages.open(PHONE)
    sign_in(trainer, "giangvien")
    today = trainer.get_by_role("region", name="Lớp bồi dưỡng")
    expect(today).to_contain_text("Buổi học hôm nay")
    today.get_by_role("link", name="08:30–11:00 · Lớp nghiệp vụ một cửa cấp xã").click()
    code = trainer.locator(".code-value").inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code), code
    expect(trainer.locator(".checkin-qr svg")).to_be_visible()
    assert_fits(trainer)

    # An official checks in on their phone with the code shown, then sees the class on /me.
    official = browser_pages.open(PHONE)
    sign_in(official, "cb-an")
    official.goto("/classes/checkin")
    official.get_by_label("Mã điểm danh").fill(code.lower())
    official.get_by_role("button", name="Điểm danh").click()
    expect(official).to_have_url(re.compile("/me$"))
    expect(official.get_by_text("Đã ghi nhận: Có mặt ở buổi học 08:30 02/03/2026.")).to_be_visible()
    mine = official.get_by_role("region", name="Lớp nghiệp vụ một cửa cấp xã")
    expect(mine).to_contain_text("Có mặt")
    expect(mine).to_contain_text("Đã hoàn thành lớp")
    assert_fits(official)

    # The trainer takes attendance on the phone: An is already in, by self check-in.
    trainer.get_by_role("link", name="Điểm danh", exact=True).first.click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text("Điểm danh buổi 02/03/2026")
    an = trainer.locator(".attendance-row", has_text="Nguyễn Văn An")
    expect(an).to_contain_text("Tự điểm danh")
    expect(an.get_by_label("Có mặt")).to_be_checked()
    assert_fits(trainer)
    for box in trainer.locator(".status").all():
        size = box.bounding_box()
        assert size and size["height"] >= 44 and size["width"] >= 44, size
    trainer.get_by_role("button", name="Tất cả có mặt").click()
    binh = trainer.locator(".attendance-row", has_text="Trần Thị Bình")
    binh.get_by_text("Đến muộn").click()
    binh.get_by_label("Ghi chú").fill("Đến 9 giờ")
    trainer.get_by_role("button", name="Lưu điểm danh").click()
    expect(trainer.get_by_text("Đã lưu điểm danh (3 thay đổi).")).to_be_visible()
    expect(trainer.locator(".attendance-row", has_text="Lê Thị Chi").get_by_label("Có mặt")
           ).to_be_checked()
    assert_fits(trainer)
    if SHOTS:
        trainer.screenshot(path=str(SHOTS / "attendance-375.png"), full_page=True)

    # Without JavaScript the grid still works (the "all present" button stays hidden).
    plain = browser_pages.open(PHONE, javascript=False)
    sign_in(plain, "giangvien")
    plain.goto(trainer.url)
    expect(plain.get_by_role("button", name="Tất cả có mặt")).to_be_hidden()
    plain.locator(".attendance-row", has_text="Đặng Văn Dũng").get_by_text("Vắng có phép").click()
    plain.get_by_role("button", name="Lưu điểm danh").click()
    expect(plain.get_by_text("Đã lưu điểm danh (1 thay đổi).")).to_be_visible()

    with app.app_context():
        rows = db.session.execute(
            select(Attendance.status, Attendance.source, Attendance.note)
            .order_by(Attendance.status, Attendance.source)
        ).all()
    assert sorted(map(tuple, rows)) == sorted([
        ("present", "checkin", ""), ("late", "grid", "Đến 9 giờ"), ("present", "grid", ""),
        ("excused", "grid", ""),
    ])  # fmt: skip

    # The compliance report counts the class: three attended (present or late), beside the rates.
    admin = browser_pages.open({"width": 1280, "height": 900})
    sign_in(admin, "quantri")
    admin.goto("/reports/plans/q1")
    expect(admin.locator(".stat", has_text="lượt tham dự")).to_contain_text(
        "1 lớp bồi dưỡng phục vụ kế hoạch, 3 lượt tham dự"
    )
    expect(admin.locator(".stat", has_text="đã được bồi dưỡng")).to_contain_text(
        "3 người đã được bồi dưỡng"
    )
