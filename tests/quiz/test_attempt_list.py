"""The trainer's list of a quiz's attempts: columns, unit and state filters, pages, exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from helpers import login, make_unit, make_user, page_text, post
from quizapp_support import answer_form, make_bank, make_quiz, rows, snapshot, start
from sqlalchemy import select

from cchc_learn.auth import service as auth_service
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.attempts import lifecycle as attempts
from cchc_learn.quiz.attempts import listing as attempt_list
from cchc_learn.quiz.models import AttemptItem
from cchc_learn.quiz.quizzes import service as quiz_service

BANK = """---
bank: tong-hop
title: Ngân hàng tổng hợp
---
## Thủ đô của Việt Nam là thành phố nào?
{id=q-single}
- [ ] Huế
- [x] Hà Nội

## Nêu một giải pháp cải cách thủ tục hành chính.
{id=e-1 type=essay}
"""
QUIZ = "tong-hop"
FORMULA_NAME = '=HYPERLINK("http://x.example","bấm")'
LIST = f"/quizzes/manage/quizzes/{QUIZ}/attempts"


def official(app, username: str, unit: str | None, full_name: str):
    make_user(app, username, unit=unit, full_name=full_name)
    client = app.test_client()
    login(client, app, username)
    return client


def submit(app, client, essay: str, single: int = 1) -> int:
    attempt_id = start(client, app, QUIZ)
    form = answer_form(rows(app, attempt_id), {"e-1": essay, "q-single": single})
    post(client, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    return attempt_id


def essay_of(app, attempt_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem.id).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.manual.is_(True)
            )
        )


@pytest.fixture
def world(app, clock):
    """Units TINH > SNV > PHONG and TINH > XA, five officials, one attempt each, a trainer."""
    make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "PHONG", "Phòng Cải cách hành chính", "office", parent="SNV")
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_bank(app, BANK, slug="tong-hop")
    make_quiz(
        app,
        QUIZ,
        title="Kiểm tra tổng hợp",
        draw=[{"bank": "tong-hop", "count": 2}],
        essays=True,
        review="never",
    )
    make_user(app, "giangvien", roles=("trainer",), full_name="Trần Văn Giảng")
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    ids = {}
    ids["ba"] = start(official(app, "ba", None, "Nguyễn Văn Ba"), app, QUIZ)
    clock.advance(minutes=11)  # Ba's attempt is closed by its deadline when a page sweeps
    ids["mai"] = submit(app, official(app, "mai", "PHONG", "Lê Thị Mai"), "Một cửa liên thông.")
    post(
        trainer,
        app,
        f"/quizzes/manage/grading/{essay_of(app, ids['mai'])}",
        {"score": "0,3333333", "comment": "Cần cụ thể hơn."},
    )
    clock.advance(minutes=1)
    ids["hai"] = submit(app, official(app, "hai", "XA", "Phạm Văn Hai"), "Chờ chấm.", single=0)
    clock.advance(minutes=1)
    ids["cong"] = submit(app, official(app, "cong", "SNV", FORMULA_NAME), "", single=0)
    clock.advance(minutes=1)
    ids["tu"] = start(official(app, "tu", "XA", "Đỗ Văn Tư"), app, QUIZ)
    return trainer, ids


def listed(text: str) -> str:
    """The part of a list page after its filters."""
    return text.split("Lọc", 1)[1]


def test_the_list_shows_each_attempt_with_official_unit_times_score_result_and_state(app, world):
    trainer, ids = world
    text = listed(page_text(trainer.get(LIST)))
    assert "5 lượt làm bài" in text
    assert (
        "Lê Thị Mai mai Phòng Cải cách hành chính 1 08:11 02/03/2026 08:11 02/03/2026 "
        "1,33/2 Đạt Đã nộp"
    ) in text
    assert (
        "Phạm Văn Hai hai Xã Mỹ Hòa Hưng 1 08:12 02/03/2026 08:12 02/03/2026 — — "
        "Chờ chấm tự luận (1 câu)" in text
    )
    assert (
        f"{FORMULA_NAME} cong Sở Nội vụ 1 08:13 02/03/2026 08:13 02/03/2026 0/2 Chưa đạt "
        "Đã nộp" in text.replace("&#34;", '"').replace("&quot;", '"')
    )
    assert "Đỗ Văn Tư tu Xã Mỹ Hòa Hưng 1 08:14 02/03/2026 — — — Đang làm" in text
    assert (
        "Nguyễn Văn Ba ba — 1 08:00 02/03/2026 08:10 02/03/2026 0/2 Chưa đạt "
        "Hết giờ (tự nộp)" in text
    )
    # Newest first.
    assert text.index("Đỗ Văn Tư") < text.index("Phạm Văn Hai") < text.index("Nguyễn Văn Ba")
    html = trainer.get(LIST).get_data(as_text=True)
    assert f'href="/quizzes/manage/attempts/{ids["mai"]}"' in html


@pytest.mark.parametrize(
    ("unit", "who"),
    [
        ("TINH", {"mai", "hai", "cong", "tu"}),
        ("SNV", {"mai", "cong"}),
        ("PHONG", {"mai"}),
        ("XA", {"hai", "tu"}),
        ("khong-co", {"mai", "hai", "cong", "tu", "ba"}),
        ("", {"mai", "hai", "cong", "tu", "ba"}),
    ],
)
def test_filtering_by_a_unit_includes_the_units_below_it(app, world, unit, who):
    trainer, _ = world
    text = listed(page_text(trainer.get(f"{LIST}?unit={unit}")))
    assert f"{len(who)} lượt làm bài" in text
    shown = {u for u in ("mai", "hai", "cong", "tu", "ba") if f" {u} " in text}
    assert shown == who


@pytest.mark.parametrize(
    ("state", "who"),
    [("open", {"tu"}), ("submitted", {"mai", "cong", "ba"}), ("pending", {"hai"})],
)
def test_filtering_by_state(app, world, state, who):
    trainer, _ = world
    text = listed(page_text(trainer.get(f"{LIST}?state={state}&unit=TINH")))
    shown = {u for u in ("mai", "hai", "cong", "tu", "ba") if f" {u} " in text}
    assert shown == who - {"ba"}  # Ba belongs to no unit
    everyone = listed(page_text(trainer.get(f"{LIST}?state={state}")))
    assert f"{len(who)} lượt làm bài" in everyone


def test_a_graded_essay_moves_the_attempt_from_pending_to_submitted(app, world):
    trainer, ids = world
    post(trainer, app, f"/quizzes/manage/grading/{essay_of(app, ids['hai'])}", {"score": "1"})
    assert "0 lượt làm bài" in listed(page_text(trainer.get(f"{LIST}?state=pending")))
    text = listed(page_text(trainer.get(f"{LIST}?state=submitted")))
    assert "Phạm Văn Hai hai Xã Mỹ Hòa Hưng 1 08:12 02/03/2026 08:12 02/03/2026 1/2 Đạt" in text


def test_the_list_comes_in_pages(app, clock):
    make_bank(app, BANK, slug="tong-hop")
    make_quiz(app, QUIZ, draw=[{"bank": "tong-hop", "count": 1}], time_limit=None)
    make_user(app, "giangvien", roles=("trainer",))
    with app.app_context():
        declare_write()
        quiz = quiz_service.get_quiz(QUIZ)
        for number in range(attempt_list.PER_PAGE + 1):
            user, _ = auth_service.create_user(
                f"hv{number:02d}",
                f"Học viên số {number:02d}",
                roles=["official"],
                password="Mat-khau-rat-dai-2025",
            )
            db.session.commit()
            attempts.start_attempt(quiz, user.id)
            clock.advance(seconds=1)
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    first = page_text(trainer.get(LIST))
    assert "51 lượt làm bài" in first and "Trang 1 / 2" in first
    assert "Học viên số 50" in first and "Học viên số 00" not in first
    second = page_text(trainer.get(f"{LIST}?page=2&state=open"))
    assert "Học viên số 00" in second and "Học viên số 01" not in second
    html = trainer.get(LIST).get_data(as_text=True)
    assert f'href="{LIST}?page=2"' in html
    far = trainer.get(f"{LIST}?page=100000000000000000000")
    assert far.status_code == 200 and "Không có lượt làm bài nào khớp." in page_text(far)


def test_the_csv_export_has_a_bom_the_filtered_rows_and_no_formulas(app, world):
    trainer, _ = world
    response = trainer.get(f"{LIST.replace('/attempts', '/attempts.csv')}?state=submitted")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="luot-lam-bai-tong-hop.csv"'
    )
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [
        "Họ và tên",
        "Tên đăng nhập",
        "Đơn vị",
        "Lượt",
        "Bắt đầu",
        "Nộp",
        "Điểm",
        "Điểm tối đa",
        "Kết quả",
        "Trạng thái",
    ]
    assert table[1:] == [
        [
            "'" + FORMULA_NAME,
            "cong",
            "Sở Nội vụ",
            "1",
            "08:13 02/03/2026",
            "08:13 02/03/2026",
            "0",
            "2",
            "Chưa đạt",
            "Đã nộp",
        ],
        [
            "Lê Thị Mai",
            "mai",
            "Phòng Cải cách hành chính",
            "1",
            "08:11 02/03/2026",
            "08:11 02/03/2026",
            "1,33",
            "2",
            "Đạt",
            "Đã nộp",
        ],
        [
            "Nguyễn Văn Ba",
            "ba",
            "",
            "1",
            "08:00 02/03/2026",
            "08:10 02/03/2026",
            "0",
            "2",
            "Chưa đạt",
            "Hết giờ (tự nộp)",
        ],
    ]
    xa = trainer.get(f"{LIST.replace('/attempts', '/attempts.csv')}?unit=XA").get_data()
    names = [row[0] for row in csv.reader(io.StringIO(xa.decode("utf-8-sig")))][1:]
    assert names == ["Đỗ Văn Tư", "Phạm Văn Hai"]


def test_the_xlsx_export_has_numbers_dates_and_text_that_is_never_a_formula(app, world):
    trainer, _ = world
    response = trainer.get(f"{LIST.replace('/attempts', '/attempts.xlsx')}?unit=TINH")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Họ và tên", "Tên đăng nhập", "Đơn vị"]
    assert [row[0] for row in values[1:]] == [
        "Đỗ Văn Tư",
        FORMULA_NAME,
        "Phạm Văn Hai",
        "Lê Thị Mai",
    ]
    mai = values[4]
    assert mai[1:] == [
        "mai",
        "Phòng Cải cách hành chính",
        1,
        datetime(2026, 3, 2, 8, 11),
        datetime(2026, 3, 2, 8, 11),
        1.33,
        2,
        "Đạt",
        "Đã nộp",
    ]
    assert values[1][5:9] == [None, None, 2, None]  # open: no submission, score or result
    formula = sheet.cell(row=3, column=1)
    assert formula.data_type == "s" and formula.value == FORMULA_NAME


def test_the_trainer_reads_an_attempt_whatever_its_review_policy(app, world):
    trainer, ids = world
    text = page_text(trainer.get(f"/quizzes/manage/attempts/{ids['hai']}"))
    assert "Lượt 1 của Phạm Văn Hai" in text and "Phạm Văn Hai (hai)" in text
    assert "Học viên chọn: Huế" in text and "Bài viết của học viên: Chờ chấm." in text
    assert "Đang chờ giảng viên chấm. Chấm câu này" in text
    html = trainer.get(f"/quizzes/manage/attempts/{ids['hai']}").get_data(as_text=True)
    assert f'href="/quizzes/manage/grading/{essay_of(app, ids["hai"])}"' in html
    graded = page_text(trainer.get(f"/quizzes/manage/attempts/{ids['mai']}"))
    assert "1,33/2 (66,7 %)" in graded and "Đạt" in graded
    assert "Đã chấm: 0,33/1 điểm — Trần Văn Giảng chấm lúc 08:11 02/03/2026." in graded
    assert "Nhận xét của giảng viên: Cần cụ thể hơn." in graded
    still_open = page_text(trainer.get(f"/quizzes/manage/attempts/{ids['tu']}"))
    assert "Học viên đang làm lượt này" in still_open and "Hà Nội" not in still_open


def test_the_quiz_pages_of_trainers_link_to_the_list(app, world):
    trainer, _ = world
    html = trainer.get("/quizzes/manage/").get_data(as_text=True)
    assert f'<a href="{LIST}">Lượt làm bài</a>' in html
    assert 'href="/quizzes/manage/grading/">Chấm tự luận</a>' in html
    analysis = trainer.get(f"/quizzes/manage/quizzes/{QUIZ}/analysis").get_data(as_text=True)
    assert f'href="{LIST}"' in analysis


def test_officials_are_refused_and_still_see_only_their_own_attempts(app, world):
    _, ids = world
    client = app.test_client()
    login(client, app, "mai")
    before = snapshot(app)
    for path in (
        LIST,
        LIST.replace("/attempts", "/attempts.csv"),
        LIST.replace("/attempts", "/attempts.xlsx"),
        f"/quizzes/manage/attempts/{ids['mai']}",
        f"/quizzes/manage/attempts/{ids['hai']}",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Không có quyền truy cập" in page_text(response)
    assert snapshot(app) == before
    assert client.get(f"/quizzes/attempts/{ids['hai']}/result").status_code == 404
    mine = page_text(client.get(f"/quizzes/attempts/{ids['mai']}/result"))
    assert "1,33/2 điểm" in mine and "Nhận xét của giảng viên: Cần cụ thể hơn." in mine
    anonymous = app.test_client().get(LIST)
    assert anonymous.status_code == 302 and anonymous.location.startswith("/auth/login")


@pytest.mark.parametrize(
    "path",
    [
        "/quizzes/manage/quizzes/khong-co/attempts",
        "/quizzes/manage/quizzes/khong-co/attempts.csv",
        "/quizzes/manage/quizzes/khong-co/attempts.xlsx",
        "/quizzes/manage/quizzes/a%00b/attempts",
        "/quizzes/manage/attempts/987654321",
        "/quizzes/manage/attempts/2147483648",
        "/quizzes/manage/attempts/9223372036854775808",
        "/quizzes/manage/attempts/18446744073709551616",
        "/quizzes/manage/attempts/-1",
    ],
)
def test_quizzes_and_attempts_that_do_not_exist_give_404(app, world, path):
    trainer, _ = world
    assert trainer.get(path).status_code == 404


def test_hostile_filters_are_ignored_not_fatal(app, world):
    trainer, _ = world
    for query in (
        "unit=a%00b&state=a%00b&page=a%00b",
        f"unit={'X' * 5000}&state={10**20}&page=-{2**63}",
        "unit=%27%3B--&state=open%27",
    ):
        for suffix in ("", ".csv", ".xlsx"):
            response = trainer.get(f"{LIST}{suffix}?{query}")
            assert response.status_code == 200, (suffix, query)
        assert "5 lượt làm bài" in listed(page_text(trainer.get(f"{LIST}?{query}")))
