"""Self check-in: the code and QR code on the trainer's page, and every way a code is refused
(wrong, expired, reused, another session or class, not on the roster) writing nothing."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
import segno
from class_world import (
    MONDAY_0830,
    add_session,
    attendance_rows,
    attended_on,
    build_world,
    code_of,
    create_class,
    enrol,
    session_ids,
    signed_in,
)
from helpers import page_text, post
from tests_clock import FakeClock

from cchc_learn.classes.checkin import ALPHABET, CODE_LENGTH
from cchc_learn.clock import set_clock


@pytest.fixture
def clock():
    fake = FakeClock(MONDAY_0830)
    set_clock(fake.now)
    yield fake
    set_clock(None)


@pytest.fixture
def world(app, clock):
    ids = build_world(app)
    trainer = signed_in(app, "giangvien")
    ids["class"] = create_class(app, trainer)
    # Today 08:30–11:00 (now 08:30) and tomorrow 08:00–11:00.
    add_session(app, trainer, ids["class"], "02/03/2026", "08:30", "11:00")
    add_session(app, trainer, ids["class"], "03/03/2026", "08:00", "11:00")
    ids["today"], ids["tomorrow"] = session_ids(app, ids["class"])
    enrol(app, trainer, ids["class"], ids["cb-an"], ids["cb-binh"])
    ids["trainer"] = trainer
    return ids


def show_code(app, world, session_key: str = "today") -> str:
    """Open the trainer's session page and read the code it shows."""
    page = world["trainer"].get(f"/classes/{world['class']}/sessions/{world[session_key]}")
    assert page.status_code == 200
    found = re.search(r'<span class="code-value">([A-Z0-9]+)</span>', page.get_data(as_text=True))
    assert found, page_text(page)
    return found.group(1)


def check_in(app, client, code: str, session: int | str = ""):
    return post(client, app, "/classes/checkin", {"code": code, "session": session})


def test_the_trainer_page_shows_a_code_and_a_server_drawn_qr_code(app, world):
    code = show_code(app, world)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set(code) & set("01IOL")
    html = world["trainer"].get(f"/classes/{world['class']}/sessions/{world['today']}").get_data(
        as_text=True)
    assert "<svg" in html and "<path" in html and 'aria-label="Mã QR tự điểm danh"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline style
    # The QR code says the check-in address with the code (the same modules as drawn here).
    expected = segno.make(f"http://localhost/classes/checkin?code={code}", error="m")
    qr = html.split('<div class="checkin-qr">', 1)[1].split("</div>", 1)[0]
    drawn = re.search(r'<path[^>]* d="([^"]+)"', qr).group(1)
    assert drawn == re.search(r' d="([^"]+)"', expected.svg_inline(border=2)).group(1)
    assert "Mã dùng được đến 11:00 (hết buổi học)." in page_text_of(html)
    # The same code until the trainer asks for a new one; the old one then stops working.
    assert show_code(app, world) == code == code_of(app, world["today"])
    assert post(world["trainer"], app,
                f"/classes/{world['class']}/sessions/{world['today']}/code").status_code == 302
    fresh = show_code(app, world)
    assert fresh != code
    official = signed_in(app, "cb-an")
    refused = check_in(app, official, code)
    assert refused.status_code == 400 and "Mã điểm danh: không đúng." in page_text(refused)
    assert attendance_rows(app) == []


def test_with_site_url_the_qr_code_points_there_not_at_the_host_sent(app, world):
    app.config["SITE_URL"] = "https://hoc.angiang.gov.vn/"
    code = show_code(app, world)
    response = world["trainer"].get(f"/classes/{world['class']}/sessions/{world['today']}")
    html = response.get_data(as_text=True)
    assert "https://hoc.angiang.gov.vn/classes/checkin" in page_text(response)
    assert "http://localhost" not in html  # the Host header the request came with
    expected = segno.make(f"https://hoc.angiang.gov.vn/classes/checkin?code={code}", error="m")
    qr = html.split('<div class="checkin-qr">', 1)[1].split("</div>", 1)[0]
    drawn = re.search(r'<path[^>]* d="([^"]+)"', qr).group(1)
    assert drawn == re.search(r' d="([^"]+)"', expected.svg_inline(border=2)).group(1)


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_official_confirms_then_sees_it_on_me_and_cannot_check_in_twice(app, world, clock):
    code = show_code(app, world)
    official = signed_in(app, "cb-an")
    typed = f" {code[:3].lower()}-{code[3:]} "  # as typed on a phone
    confirm = official.get(f"/classes/checkin?code={typed}")
    text = page_text(confirm)
    assert confirm.status_code == 200
    assert "Lớp nghiệp vụ một cửa cấp xã" in text and "Bạn sẽ được ghi là Có mặt" in text
    assert attendance_rows(app) == []  # the GET only shows what will happen
    response = check_in(app, official, typed)
    assert response.status_code == 302 and response.headers["Location"] == "/me"
    assert attendance_rows(app) == [(world["today"], world["cb-an"], "present", "checkin")]
    me = page_text(official.get("/me"))
    assert "Đã ghi nhận: Có mặt ở buổi học 08:30 02/03/2026." in me
    assert "02/03/2026, 08:30–11:00 Có mặt" in me
    # Reused: refused, still one row.
    again = check_in(app, official, code)
    assert again.status_code == 400
    assert "Bạn đã tự điểm danh buổi này lúc 08:30 02/03/2026." in page_text(again)
    assert len(attendance_rows(app)) == 1
    # The trainer's grid shows how it was recorded.
    grid = page_text(world["trainer"].get(
        f"/classes/{world['class']}/sessions/{world['today']}/attendance"))
    assert "Nguyễn Văn An Xã Mỹ Hòa Hưng Tự điểm danh" in grid


def test_after_fifteen_minutes_it_is_late_and_attended_on_follows(app, world, clock):
    code = show_code(app, world)
    clock.advance(minutes=15)  # 08:45: on time
    assert check_in(app, signed_in(app, "cb-an"), code).status_code == 302
    clock.advance(minutes=1)  # 08:46: late
    binh = signed_in(app, "cb-binh")
    assert "Bạn sẽ được ghi là Đến muộn" in page_text(binh.get(f"/classes/checkin?code={code}"))
    assert check_in(app, binh, code).status_code == 302
    assert attendance_rows(app) == [
        (world["today"], world["cb-an"], "present", "checkin"),
        (world["today"], world["cb-binh"], "late", "checkin"),
    ]
    # Two sessions, all needed: not attended yet; tomorrow's check-in completes An's class.
    assert set(attended_on(app, world["class"]).values()) == {None}
    clock.advance(days=1)
    code2 = show_code(app, world, "tomorrow")
    assert check_in(app, signed_in(app, "cb-an"), code2).status_code == 302
    assert attended_on(app, world["class"]) == {world["cb-an"]: date(2026, 3, 3),
                                                world["cb-binh"]: None}  # fmt: skip


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda code, w: ("ZZZZZZ", ""), "Mã điểm danh: không đúng."),
        (lambda code, w: ("12", ""), "Mã điểm danh: gồm 6 ký tự chữ và số"),
        (lambda code, w: ("\x00" * 5000, ""), "Mã điểm danh: hãy nhập mã"),
        (lambda code, w: ("Ô" * 6, ""), "Mã điểm danh: gồm 6 ký tự chữ và số"),
        (lambda code, w: (code, w["tomorrow"]), "Mã điểm danh: đây là mã của một buổi khác"),
        (lambda code, w: (code, 2147483647), "Mã điểm danh: đây là mã của một lớp khác."),
        (lambda code, w: ("x" * 100, ""), "Mã điểm danh: tối đa 20 ký tự."),
    ],
)  # fmt: skip
def test_bad_codes_are_refused_and_write_nothing(app, world, make, message):
    code = show_code(app, world)
    typed, session = make(code, world)
    response = check_in(app, signed_in(app, "cb-an"), typed, session)
    assert response.status_code == 400
    assert message in page_text(response)
    assert attendance_rows(app) == []


def test_a_code_of_another_class(app, world):
    code = show_code(app, world)
    other = create_class(app, world["trainer"], title="Lớp văn thư")
    add_session(app, world["trainer"], other, "02/03/2026", "08:00", "10:00")
    (other_session,) = session_ids(app, other)
    enrol(app, world["trainer"], other, world["cb-an"])
    response = check_in(app, signed_in(app, "cb-an"), code, other_session)
    assert response.status_code == 400
    assert "Mã điểm danh: đây là mã của một lớp khác." in page_text(response)
    assert attendance_rows(app) == []


def test_expired_not_yet_open_and_not_on_the_roster(app, world, clock):
    code = show_code(app, world)
    chi = signed_in(app, "cb-chi")
    response = check_in(app, chi, code)
    assert response.status_code == 400
    assert ("Bạn không có trong danh sách lớp «Lớp nghiệp vụ một cửa cấp xã»: hãy báo giảng "
            "viên") in page_text(response)
    assert "Bạn không có trong danh sách lớp" in page_text(chi.get(f"/classes/checkin?code={code}"))
    clock.advance(hours=2, minutes=31)  # 11:01, after the end
    an = signed_in(app, "cb-an")
    response = check_in(app, an, code)
    assert response.status_code == 400
    assert "Mã điểm danh: đã hết hạn (buổi học đã kết thúc)." in page_text(response)
    # Tomorrow's session: its page shows no code before 07:45, and at 07:45 a new one.
    clock.current = MONDAY_0830 + timedelta(days=1, minutes=-46)  # 07:44 tomorrow
    page = page_text(world["trainer"].get(
        f"/classes/{world['class']}/sessions/{world['tomorrow']}"))
    assert "sẽ hiện ở đây từ 07:45 03/03/2026" in page
    clock.advance(minutes=1)
    assert show_code(app, world, "tomorrow") != code
    assert attendance_rows(app) == []


def test_an_official_marked_by_the_trainer_is_told_not_overwritten(app, world):
    code = show_code(app, world)
    post(world["trainer"], app, f"/classes/{world['class']}/sessions/{world['today']}/attendance",
         {f"status-{world['cb-an']}": "absent"})
    response = check_in(app, signed_in(app, "cb-an"), code)
    assert response.status_code == 400
    assert "Giảng viên đã ghi điểm danh của bạn cho buổi này (Vắng)" in page_text(response)
    assert attendance_rows(app) == [(world["today"], world["cb-an"], "absent", "grid")]


def test_signing_in_from_the_qr_code_comes_back_to_the_confirmation(app, world):
    code = show_code(app, world)
    anonymous = app.test_client()
    response = anonymous.get(f"/classes/checkin?code={code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/auth/login?next=/classes/checkin?code%3D{code}"
    signed = post(anonymous, app, "/auth/login", {"username": "cb-an",
                  "password": "Mat-khau-rat-dai-2025", "next": f"/classes/checkin?code={code}"})
    assert signed.headers["Location"] == f"/classes/checkin?code={code}"
    assert "Xác nhận có mặt" in page_text(anonymous.get(signed.headers["Location"]))


def test_check_in_posts_are_rate_limited_per_account(app, world):
    app.config["CLASSES_CHECKIN_RATE_LIMIT"] = "3 per minute"
    an, binh = signed_in(app, "cb-an"), signed_in(app, "cb-binh")
    for _ in range(3):
        assert check_in(app, an, "ZZZZZZ").status_code == 400
    refused = check_in(app, an, show_code(app, world))
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in page_text(refused)
    assert attendance_rows(app) == []
    # The same address, another account: still allowed.
    assert check_in(app, binh, code_of(app, world["today"])).status_code == 302


def test_two_check_ins_at_once_by_the_same_official_record_one_row(app, world):
    code = show_code(app, world)
    clients = [signed_in(app, "cb-an"), signed_in(app, "cb-an")]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def go(client):
        barrier.wait()
        statuses.append(check_in(app, client, code).status_code)

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 400]
    assert attendance_rows(app) == [(world["today"], world["cb-an"], "present", "checkin")]
