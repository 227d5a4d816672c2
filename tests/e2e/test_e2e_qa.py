"""In a real browser: a question from asking to the FAQ, with and without JavaScript.

An official types a title and sees a suggestion, asks a private question; the moderator finds
it in the queue and answers from a template citing [[4599/QĐ-UBND]]; the official sees the
notification in the header and accepts; the moderator puts it in the FAQ, and another
official finds it by searching.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import PASSWORD, make_unit, make_user
from playwright.sync_api import Page, expect

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.search import indexer

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = "Ai là cán bộ làm công tác cải cách hành chính"
TITLE = "Công chức kiêm nhiệm đầu mối CCHC ở xã có thuộc đối tượng của Đề án 4599 không?"


def prepare(app) -> None:
    """The Đề án document, the answer templates, a unit and three accounts; the index built."""
    root = Path(app.config["CONTENT_DIR"])
    (root / "documents").mkdir(parents=True)
    (root / "qa-templates").mkdir()
    shutil.copy(REPO / "content/documents/4599-qd-ubnd.md", root / "documents")
    for name in ("can-bo-lam-cong-tac-cchc.md", "tra-loi-chung.md"):  # both cite 4599 only
        shutil.copy(REPO / "content/qa-templates" / name, root / "qa-templates")
    with app.app_context():
        declare_write()
        tree = load_tree(root)
        assert tree.problems == [], tree.problems
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        declare_write(False)
        indexer.rebuild()
    make_unit(app, "TINH", "UBND tỉnh An Giang", "province")
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_user(app, "hocvien", full_name="Phạm Quốc Bảo", unit="XA")
    make_user(app, "hocvien2", full_name="Trần Thị Thu", unit="XA")
    make_user(app, "giaidap", roles=("moderator",), full_name="Lê Thị Ngọc Hân", unit="TINH")


def sign_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Xin chào"))


def fill_question(page: Page) -> None:
    page.get_by_label("Nội dung chi tiết").fill(
        "Tôi là công chức Văn phòng – Thống kê, được giao **kiêm nhiệm** theo dõi CCHC.")
    page.get_by_label("Đào tạo bồi dưỡng").check()
    page.get_by_label("Riêng tư (chỉ người giải đáp xem)").check()
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(re.compile(r"Đã gửi câu hỏi\. Hạn trả lời: \d\d/\d\d/\d{4}\."))
           ).to_be_visible()
    expect(page.get_by_text("Riêng tư", exact=True)).to_be_visible()


def answer_from_template(page: Page) -> None:
    """The moderator finds the question in the queue and answers from the template."""
    sign_in(page, "giaidap")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Hàng đợi hỏi đáp").click()
    row = page.locator("tr.qa-row", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Phạm Quốc Bảo")
    expect(row).to_contain_text("Xã Mỹ Hòa Hưng")
    row.get_by_role("link", name=TITLE).click()
    page.get_by_label("Bắt đầu từ mẫu").select_option(label=TEMPLATE)
    page.get_by_role("button", name="Dùng mẫu").click()
    body = page.get_by_label(re.compile("^Câu trả lời"))
    expect(body).to_have_value(re.compile(r"\[\[4599/QĐ-UBND\]\]"))
    text = body.input_value().replace(
        "*(nêu nhiệm vụ được giao theo quyết định phân công của đơn vị)*",
        "anh/chị được giao kiêm nhiệm theo dõi CCHC của xã, nên thuộc đối tượng của Đề án")
    body.fill(text)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_text("Đã gửi câu trả lời; người hỏi đã được thông báo.")).to_be_visible()
    answer = page.locator("article.qa-post-answer")
    expect(answer).to_contain_text("thuộc đối tượng của Đề án")
    expect(answer.get_by_role("link", name="4599/QĐ-UBND")).to_have_attribute(
        "href", "/kb/4599-qd-ubnd")


def accept_from_the_notice(page: Page) -> None:
    """The official sees the header's count, opens the notice and accepts the answer."""
    page.goto("/")
    bell = page.locator("a.notice-link")
    expect(bell.locator(".badge-count")).to_have_text("1")
    expect(bell).to_contain_text("Thông báo: 1 chưa đọc")
    bell.click()
    page.get_by_role("link", name=re.compile("Câu hỏi của bạn đã có câu trả lời")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Chấp nhận câu trả lời này").click()
    expect(page.get_by_text("Đã chấp nhận câu trả lời. Cảm ơn bạn!")).to_be_visible()
    expect(page.get_by_text("Đã được chấp nhận")).to_be_visible()


def test_ask_answer_accept_promote_and_find_with_javascript(browser_pages, app):
    prepare(app)
    official = browser_pages.open()
    sign_in(official, "hocvien")
    official.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Hỏi đáp").click()
    official.get_by_role("link", name="Đặt câu hỏi").click()
    # Typing the title brings suggestions without leaving the page: the number finds the Đề án.
    official.get_by_label("Câu hỏi của bạn (tiêu đề)").press_sequentially(TITLE, delay=5)
    suggestions = official.locator("#similar-results")
    expect(suggestions.get_by_role("heading", name="Câu hỏi và văn bản tương tự")).to_be_visible()
    expect(suggestions.locator("a", has_text="4599/QĐ-UBND")).to_be_visible()
    assert official.url.endswith("/qa/ask")
    fill_question(official)
    question_url = official.url

    moderator = browser_pages.open()
    answer_from_template(moderator)

    accept_from_the_notice(official)

    # The moderator promotes it: the cited document is proposed from the answer.
    moderator.goto(question_url)
    moderator.get_by_text("Đưa vào mục Hỏi đáp thường gặp").click()
    expect(moderator.get_by_label(re.compile("^Văn bản trích dẫn"))).to_have_value(
        "4599/QĐ-UBND")
    moderator.get_by_role("button", name="Đưa vào Hỏi đáp thường gặp").click()
    expect(moderator.get_by_text("Đã lưu mục hỏi đáp thường gặp.")).to_be_visible()
    expect(moderator.locator(".doc-meta .badge-info")).to_have_text("Hỏi đáp thường gặp")

    # Another official finds it by searching, without knowing who asked.
    other = browser_pages.open()
    sign_in(other, "hocvien2")
    other.goto("/search")
    other.get_by_role("searchbox", name="Từ khóa").fill("kiem nhiem dau moi CCHC")
    other.get_by_role("button", name="Tìm").click()
    hit = other.locator(".hit-list .hit", has_text=TITLE)
    expect(hit).to_have_count(1)
    hit.get_by_role("link", name=TITLE).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(other.locator("header .doc-meta")).to_contain_text("Một cán bộ")
    expect(other.locator("article.qa-thread")).not_to_contain_text("Phạm Quốc Bảo")
    expect(other.locator("article.qa-post-answer")).to_contain_text("thuộc đối tượng của Đề án")


def test_ask_answer_and_accept_without_javascript(browser_pages, app):
    prepare(app)
    official = browser_pages.open(javascript=False)
    sign_in(official, "hocvien")
    official.goto("/qa/ask")
    official.get_by_label("Câu hỏi của bạn (tiêu đề)").fill(TITLE)
    # Nothing appears while typing; the button asks the server for the same suggestions.
    expect(official.locator("#similar-results .qa-suggestions")).to_have_count(0)
    official.get_by_role("button", name="Tìm câu hỏi tương tự").click()
    suggestions = official.locator("#similar-results")
    expect(suggestions.locator("a", has_text="4599/QĐ-UBND")).to_be_visible()
    expect(official.get_by_label("Câu hỏi của bạn (tiêu đề)")).to_have_value(TITLE)
    fill_question(official)

    moderator = browser_pages.open(javascript=False)
    answer_from_template(moderator)

    accept_from_the_notice(official)
    official.locator("a.notice-link").click()
    official.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(official.locator("a.notice-link .badge-count")).to_have_count(0)
