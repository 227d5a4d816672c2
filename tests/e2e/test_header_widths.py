"""In a real browser: the header on office screens and phones, for every role.

At 1280 px the whole menu (brand, links, name, change password, sign out) is one row; at
1024 px and 375 px it collapses behind the menu button, nothing is wider than the screen, and
every link of the opened menu is visible, uncovered and leads where it says.
"""

from __future__ import annotations

import pytest
from helpers import PASSWORD, make_user
from playwright.sync_api import Page, expect

from cchc_learn.demo.data import STAFF

WIDE = {"width": 1280, "height": 800}
NARROW = [{"width": 1024, "height": 768}, {"width": 375, "height": 740}]

# The demo's staff accounts (names as long as real ones), one per role.
ACCOUNTS = {username: (full_name, roles) for username, full_name, roles, *_ in STAFF}
EVERYONE = ["Trang chủ", "Chuyên đề", "Văn bản", "Hỏi đáp", "Kiểm tra", "Tìm kiếm"]
MENUS = {
    "admin": [*EVERYONE, "Báo cáo", "Quản trị"],
    "giangvien": EVERYONE,
    "giaidap": [*EVERYONE[:4], "Hàng đợi hỏi đáp", *EVERYONE[4:]],
    "giaidap2": [*EVERYONE[:4], "Hàng đợi hỏi đáp", *EVERYONE[4:]],
    "hocvien": [EVERYONE[0], "Tiến độ của tôi", *EVERYONE[1:]],
}
# Each header control: its centre line, and whether something else covers its centre.
CONTROLS_JS = """() => [...document.querySelectorAll(
    '.brand, #site-nav a, #site-nav button, #site-nav .who')].map(el => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {text: el.textContent.trim(), top: r.top, bottom: r.bottom, middle: y,
          left: r.left, right: r.right, visible: r.width > 0 && r.height > 0,
          uncovered: hit !== null && (hit === el || el.contains(hit))};
})"""


def sign_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def open_page(browser_pages, viewport: dict, username: str | None) -> Page:
    page = browser_pages.open(viewport)
    if username:
        sign_in(page, username)
    page.goto("/kb/")  # a page with a long heading and filters under the header
    return page


def assert_nothing_overflows(page: Page, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth") == viewport["width"], (
        f"the page is {width} px wide on a {viewport['width']} px screen"
    )


def menu_links(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#site-nav ul a").all_inner_texts()]


@pytest.fixture(params=[*ACCOUNTS, None], ids=[*ACCOUNTS, "khach"])
def account(request, app) -> str | None:
    """Each demo role signed in (and a visitor who is not)."""
    username = request.param
    if username:
        full_name, roles = ACCOUNTS[username]
        make_user(app, username, roles=tuple(roles), full_name=full_name)
    return username


def test_at_1280_the_whole_header_is_one_row(account, browser_pages):
    page = open_page(browser_pages, WIDE, account)
    expect(page.get_by_role("button", name="Trình đơn")).to_be_hidden()
    assert menu_links(page) == (MENUS[account] if account else ["Trang chủ"])
    controls = page.evaluate(CONTROLS_JS)
    assert len(controls) >= (len(MENUS[account]) + 4 if account else 3)
    for control in controls:
        assert control["visible"] and control["uncovered"], control
        assert 0 <= control["left"] and control["right"] <= WIDE["width"], control
    middles = [c["middle"] for c in controls]
    assert max(middles) - min(middles) <= 2, f"the header has more than one row: {controls}"
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 60, header
    if account:
        # The full name fits; it is cut short only for much longer names.
        who = page.locator("#site-nav .who")
        assert who.evaluate("el => el.scrollWidth <= el.clientWidth")
        expect(who).to_have_text(ACCOUNTS[account][0])
    assert_nothing_overflows(page, WIDE)


@pytest.mark.parametrize("viewport", NARROW, ids=lambda v: f"{v['width']}px")
def test_narrower_screens_collapse_the_menu_and_every_link_is_reachable(
    account, browser_pages, viewport
):
    page = open_page(browser_pages, viewport, account)
    toggle = page.get_by_role("button", name="Trình đơn")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 60, "the closed header is one row"
    assert_nothing_overflows(page, viewport)

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expected = MENUS[account] if account else ["Trang chủ"]
    assert menu_links(page) == expected
    for control in page.evaluate(CONTROLS_JS):
        assert control["visible"] and control["uncovered"], control
        assert 0 <= control["left"] and control["right"] <= viewport["width"], control
    if account:
        expect(nav.get_by_role("link", name="Đổi mật khẩu")).to_be_visible()
        expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
    else:
        expect(nav.get_by_role("link", name="Đăng nhập")).to_be_visible()
    assert_nothing_overflows(page, viewport)

    # The last link of the menu leads to its page; the reopened menu marks it as current.
    last = expected[-1]
    link = nav.get_by_role("link", name=last, exact=True)
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(browser_pages.base_url + href)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    toggle.click()
    expect(nav.get_by_role("link", name=last, exact=True)).to_have_attribute("aria-current", "page")
    assert_nothing_overflows(page, viewport)


def test_a_very_long_name_is_shortened_and_keeps_one_row(app, browser_pages):
    long_name = "Công Tôn Nữ Thị Hoàng Phương Thảo Nguyên Khánh Linh"
    make_user(app, "quantri", roles=("admin", "trainer", "moderator"), full_name=long_name)
    page = browser_pages.open(WIDE)
    sign_in(page, "quantri")
    controls = page.evaluate(CONTROLS_JS)
    middles = [c["middle"] for c in controls]
    assert max(middles) - min(middles) <= 2, f"the header has more than one row: {controls}"
    who = page.locator("#site-nav .who")
    assert who.evaluate("el => el.scrollWidth > el.clientWidth"), "the name is cut short"
    assert long_name in page.locator("#site-nav .account-link").get_attribute("title")
    assert_nothing_overflows(page, WIDE)
