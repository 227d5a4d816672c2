"""In a real browser: an official takes a quiz, reloads mid-attempt, submits, reads the review."""

from __future__ import annotations

import re

from helpers import make_user
from playwright.sync_api import Page, expect

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.banks import service as bank_service
from cchc_learn.quiz.formats import parse_markdown
from cchc_learn.quiz.quiz_loader import DrawSpec, QuizSpec
from cchc_learn.quiz.quizzes import service as quiz_service

BANK = """## Thủ đô của Việt Nam là thành phố nào?
{id=e1}
- [ ] Huế
- [x] Hà Nội
- [ ] Đà Nẵng
> Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam.

## Bộ phận Một cửa tiếp nhận hồ sơ thủ tục hành chính tập trung.
{id=e2}
= Đúng

## Viết tắt của Chỉ số cải cách hành chính là gì?
{id=e3}
= PAR-INDEX
= PAR INDEX

## Ghép mỗi chỉ số với điều nó đo
{id=e4}
- PCI -> Năng lực cạnh tranh cấp tỉnh
- SIPAS -> Sự hài lòng của người dân
"""


def prepare(app) -> None:
    with app.app_context():
        declare_write()
        bank_service.import_bank("e2e", parse_markdown(BANK, "e2e.md"), "e2e.md")
        spec = QuizSpec(
            slug="kiem-tra-e2e",
            title="Kiểm tra trong trình duyệt",
            description="Bốn câu hỏi về **cải cách hành chính**.",
            draws=[DrawSpec(bank="e2e", count=4)],
            time_limit=15,
            attempts=2,
            pass_mark=75,
        )
        quiz_service.save_quiz(None, spec)
        db.session.commit()
    make_user(app, "hocvien", full_name="Lê Thị Mai")


def sign_in(page: Page) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill("hocvien")
    page.get_by_label("Mật khẩu").fill("Mat-khau-rat-dai-2025")
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_official_takes_a_quiz_reloads_and_submits(app, page):
    prepare(app)
    sign_in(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Kiểm tra"
    ).click()
    page.get_by_role("link", name="Kiểm tra trong trình duyệt").click()
    expect(page.get_by_text("Từ 75 % số điểm")).to_be_visible()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+$"))
    expect(page.locator("#quiz-countdown")).to_contain_text("còn 1")

    status = page.locator("#quiz-save-status")
    page.get_by_label("Hà Nội").check()
    expect(status).to_contain_text("Đã lưu lúc")
    page.get_by_label("Trả lời:").fill("par-index")
    with page.expect_response(re.compile(r"/autosave$")) as saved:
        page.get_by_label("PCI").select_option(label="Năng lực cạnh tranh cấp tỉnh")
    assert saved.value.json()["saved"] is True

    page.reload()
    expect(page.get_by_label("Hà Nội")).to_be_checked()
    expect(page.get_by_label("Trả lời:")).to_have_value("par-index")
    expect(page.get_by_label("PCI")).to_have_value(re.compile(r"^o[0-9a-f]{8}$"))
    expect(page.get_by_label("SIPAS")).to_have_value("")

    page.get_by_label("Đúng", exact=True).check()
    page.get_by_label("SIPAS").select_option(label="Sự hài lòng của người dân")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp bài").click()

    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/result$"))
    expect(page.locator(".quiz-score")).to_contain_text("4/4")
    expect(page.locator(".quiz-score")).to_contain_text("Đạt")
    expect(page.get_by_text("Hà Nội là thủ đô của nước Cộng hòa")).to_be_visible()
    expect(page.get_by_text("Bạn trả lời: par-index")).to_be_visible()

    page.get_by_role("link", name="Về trang bài kiểm tra").click()
    expect(page.get_by_role("cell", name="4/4 (100 %)")).to_be_visible()


def test_the_quiz_works_with_javascript_turned_off(app, browser, live_server):
    prepare(app)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page)
        page.goto("/quizzes/kiem-tra-e2e")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        page.get_by_label("Huế").check()
        page.get_by_label("Trả lời:").fill("PAR INDEX")
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.get_by_text("Đã lưu câu trả lời lúc")).to_be_visible()
        expect(page.get_by_label("Huế")).to_be_checked()
        expect(page.get_by_label("Trả lời:")).to_have_value("PAR INDEX")
        page.get_by_role("button", name="Nộp bài").click()
        expect(page.locator(".quiz-score")).to_contain_text("1/4")
        expect(page.locator(".quiz-score")).to_contain_text("Chưa đạt")
    finally:
        context.close()
