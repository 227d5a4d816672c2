"""In a real browser: an official searches without diacritics, filters, opens a document."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import PASSWORD, make_user
from playwright.sync_api import Page, expect

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.search import indexer

DOCS = {
    "61-2018-nd-cp.md": """---
number: 61/2018/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2018-04-23
topics: [Một cửa, TTHC]
summary: Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính
---
Bộ phận Một cửa tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính.
""",
    "2666-qd-ubnd.md": """---
number: 2666/QĐ-UBND
type: Quyết định
issuer: UBND thành phố Cần Thơ
issued: 2025-11-26
topics: [Một cửa]
summary: Công bố danh mục thủ tục hành chính thực hiện theo cơ chế một cửa liên thông
---
Danh mục thủ tục hành chính tiếp nhận tại Bộ phận Một cửa.
""",
    "4599-qd-ubnd.md": """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
topics: [Đào tạo bồi dưỡng]
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác cải cách hành chính
---
## Mục tiêu

100 % cán bộ được tiếp cận tài liệu.
""",
}


def load_documents(app) -> None:
    root = Path(app.config["CONTENT_DIR"])
    (root / "documents").mkdir(parents=True)
    for name, text in DOCS.items():
        (root / "documents" / name).write_text(text, encoding="utf-8")
    with app.app_context():
        declare_write()
        tree = load_tree(root)
        assert tree.problems == []
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        declare_write(False)
        indexer.rebuild()


def test_search_without_diacritics_filter_and_open_by_number(app, page: Page):
    load_documents(app)
    make_user(app, "hocvien", full_name="Nguyễn Văn An")
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill("hocvien")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Xin chào"))

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tìm kiếm").click()
    page.get_by_role("searchbox", name="Từ khóa").fill("mot cua lien thong")
    page.get_by_role("button", name="Tìm").click()
    results = page.locator(".hit-list .hit")
    expect(results).to_have_count(2)
    expect(page.locator(".hit-list")).to_contain_text("61/2018/NĐ-CP")
    expect(page.locator(".hit-list mark").first).to_be_visible()

    page.get_by_role("complementary", name="Lọc kết quả").get_by_role(
        "link", name=re.compile(r"^Nghị định \(1\)")).click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Nghị định 61/2018/NĐ-CP")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tìm kiếm").click()  # a fresh search, without the type filter
    page.get_by_role("searchbox", name="Từ khóa").fill("4599/QD-UBND")
    page.get_by_role("button", name="Tìm").click()
    first = page.locator(".hit-list .hit").first
    expect(first).to_contain_text("4599/QĐ-UBND")
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định số 4599/QĐ-UBND")
    expect(page.locator(".meta-grid")).to_contain_text("30/12/2022")
