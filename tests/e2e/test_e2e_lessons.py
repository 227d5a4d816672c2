"""In a real browser: an official studies a lesson; a trainer edits, previews and restores one."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import PASSWORD, make_user
from playwright.sync_api import Page, expect

from cchc_learn.clock import local_today
from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db

PHONE = {"width": 375, "height": 740}
MODULE = """---
title: Cơ chế một cửa
summary: Tiếp nhận và trả kết quả tại Bộ phận Một cửa.
topics: [Một cửa]
order: 1
audience: [commune]
---
Chuyên đề cho công chức Bộ phận Một cửa cấp xã.
"""
LESSONS = {
    "01-tiep-nhan.md": """---
title: Tiếp nhận hồ sơ
minutes: 15
---
## Kiểm tra thành phần hồ sơ

Công chức kiểm tra tính đầy đủ của hồ sơ trước khi tiếp nhận.

## Phiếu hẹn trả kết quả

| Trường hợp | Việc làm |
|---|---|
| Hồ sơ đủ | Cấp phiếu hẹn |
| Hồ sơ thiếu | Hướng dẫn bổ sung một lần |
""",
    "02-tra-ket-qua.md": """---
title: Trả kết quả và xin lỗi khi trễ hẹn
minutes: 10
---
## Thư xin lỗi

Khi trễ hẹn, cơ quan gửi thư xin lỗi và hẹn lại.
""",
}


def load_content(app) -> None:
    root = Path(app.config["CONTENT_DIR"])
    folder = root / "modules" / "mot-cua"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(MODULE, encoding="utf-8")
    for name, text in LESSONS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with app.app_context():
        declare_write()
        tree = load_tree(root)
        assert tree.problems == []
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        declare_write(False)


def sign_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # On a phone the account menu is folded away: the greeting shows the sign-in worked.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Xin chào"))


def test_an_official_reads_a_lesson_confirms_it_and_sees_the_progress(app, page, browser_pages):
    load_content(app)
    make_user(app, "hocvien", full_name="Nguyễn Văn An")
    sign_in(page, "hocvien")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chuyên đề"
    ).click()
    card = page.locator(".module-card", has_text="Cơ chế một cửa")
    expect(card).to_contain_text("Đã học 0/2 bài (0 %)")
    card.get_by_role("link", name="Cơ chế một cửa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ chế một cửa")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiếp nhận hồ sơ")
    toc = page.get_by_role("navigation", name="Mục lục bài học")
    toc.get_by_role("link", name="Phiếu hẹn trả kết quả").click()
    expect(page).to_have_url(re.compile(r"#phieu-hen-tra-ket-qua$"))
    expect(page.locator(".lesson-body table")).to_contain_text("Hướng dẫn bổ sung một lần")

    page.get_by_role("button", name="Hoàn thành bài học").click()
    today = local_today().strftime("%d/%m/%Y")
    expect(page.locator(".lesson-completed")).to_have_text(f"Đã hoàn thành ngày {today}")
    expect(page.get_by_role("button", name="Hoàn thành bài học")).to_have_count(0)
    page.get_by_role("link", name=re.compile("^Bài sau: Trả kết quả")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trả kết quả và xin lỗi khi trễ hẹn")

    page.get_by_role("navigation", name="Đường dẫn").get_by_role("link", name="Chuyên đề").click()
    expect(page.locator(".module-card", has_text="Cơ chế một cửa")).to_contain_text(
        "Đã học 1/2 bài (50 %)"
    )

    phone = browser_pages.open(PHONE)
    sign_in(phone, "hocvien")
    phone.goto("/modules/mot-cua/tiep-nhan")
    expect(phone.locator(".lesson-completed")).to_be_visible()
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_a_trainer_edits_previews_saves_and_restores_a_lesson(app, page):
    make_user(app, "giangvien", roles=("trainer",), full_name="Lê Thị Hoa")
    sign_in(page, "giangvien")
    page.goto("/modules/")
    page.get_by_role("link", name="Soạn thảo chuyên đề").click()
    page.get_by_role("link", name="Tạo chuyên đề mới").click()
    page.get_by_label("Tên chuyên đề").fill("Kỹ năng giao tiếp công vụ")
    page.get_by_label("Mã chuyên đề").fill("giao-tiep")
    page.get_by_label("Tóm tắt").fill("Giao tiếp với người dân tại Bộ phận Một cửa.")
    page.get_by_label("Xã, phường, đặc khu").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kỹ năng giao tiếp công vụ")

    page.get_by_role("link", name="Thêm bài học").click()
    page.get_by_label("Tên bài học").fill("Chào hỏi người dân")
    page.get_by_label("Nội dung (Markdown)").fill("## Lời chào\n\nChào anh, chị.\n")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu bài học (phiên bản 1).")

    body = page.get_by_label("Nội dung (Markdown)")
    body.fill("## Lời chào\n\nKính chào ông, bà.\n\n## Lắng nghe\n\n<script>alert(1)</script>\n")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator(".lesson-preview")
    expect(preview.get_by_role("heading", name="Lắng nghe")).to_be_visible()
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, not run
    expect(page.get_by_label("Nội dung (Markdown)")).to_have_value(re.compile("Kính chào ông"))
    page.get_by_label("Ghi chú cho lần lưu này").fill("Lời chào trang trọng hơn")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu bài học (phiên bản 2).")

    page.get_by_role("link", name="Lịch sử phiên bản").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lời chào trang trọng hơn")
    expect(rows.nth(0)).to_contain_text("Lê Thị Hoa")
    rows.nth(1).get_by_role("link", name="So với hiện tại").click()
    expect(page.locator(".lesson-diff-del")).to_contain_text(["-Chào anh, chị."])
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("table tbody tr").nth(1).get_by_role("button", name="Khôi phục").click()
    expect(page.locator(".flash").first).to_contain_text("Đã lưu bài học (phiên bản 3).")
    expect(page.locator("table tbody tr")).to_have_count(3)
    expect(page.locator("table tbody tr").nth(0)).to_contain_text("Khôi phục phiên bản 1")

    page.goto("/modules/giao-tiep/chao-hoi-nguoi-dan")
    expect(page.locator(".lesson-body")).to_contain_text("Chào anh, chị.")
    expect(page.locator(".lesson-body")).not_to_contain_text("Lắng nghe")
