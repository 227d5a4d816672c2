"""Essays graded by hand: drawn when a quiz asks, the queue, the grade form, totals, races."""

from __future__ import annotations

import pytest
from helpers import csrf_token, login, make_user, page_text, post
from quizapp_support import (
    answer_form,
    attempt_row,
    make_bank,
    make_quiz,
    race,
    rows,
    snapshot,
    start,
)
from sqlalchemy import func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.attempts import essay_grading
from cchc_learn.quiz.errors import QuizError
from cchc_learn.quiz.models import Attempt, AttemptItem

ESSAY_BANK = """---
bank: tu-luan
title: Ngân hàng có tự luận
---
## Thủ đô của Việt Nam là thành phố nào?
{id=q-single}
- [ ] Huế
- [x] Hà Nội

## Nêu ba giải pháp nâng cao Chỉ số SIPAS ở đơn vị anh/chị.
{id=e-1 type=essay}
> Gợi ý chấm: mỗi giải pháp hợp lý được một phần ba số điểm.

## Trình bày quy trình tiếp nhận hồ sơ tại Bộ phận Một cửa.
{id=e-2 type=essay}

## Phần II — Tình huống
{id=mo-ta type=description}
Đọc tình huống sau.
"""

QUIZ = "tu-luan-thu"
BAD_SCORES = [
    ("1,5", "Điểm phải từ 0 đến 1; bạn nhập 1,5."),
    ("-0,1", "Điểm phải từ 0 đến 1; bạn nhập -0,1."),
    ("2", "Điểm phải từ 0 đến 1; bạn nhập 2."),
    ("NaN", "Điểm phải là một số từ 0 đến 1"),
    ("nan", "Điểm phải là một số từ 0 đến 1"),
    ("inf", "Điểm phải là một số từ 0 đến 1"),
    ("-Infinity", "Điểm phải là một số từ 0 đến 1"),
    ("1e400", "Điểm phải là một số từ 0 đến 1"),
    ("một", "Điểm phải là một số từ 0 đến 1"),
    ("0,5 điểm", "Điểm phải là một số từ 0 đến 1"),
    ("0,5,5", "Điểm phải là một số từ 0 đến 1"),
    ("0x1", "Điểm phải là một số từ 0 đến 1"),
    ("0,5\x00x", "Điểm phải là một số từ 0 đến 1"),
    ("\x00", "Nhập điểm của câu này."),
    ("", "Nhập điểm của câu này."),
    ("   ", "Nhập điểm của câu này."),
    ("9" * 21, "Điểm: tối đa 20 ký tự."),
]


def setup_quiz(app, slug: str = QUIZ, title: str = "Bài có tự luận", **settings) -> None:
    if not _bank_exists(app):
        make_bank(app, ESSAY_BANK, slug="tu-luan")
    settings.setdefault("draw", [{"bank": "tu-luan", "count": 3}])
    make_quiz(app, slug, title=title, essays=True, **settings)


def _bank_exists(app) -> bool:
    from cchc_learn.quiz.banks import service as bank_service

    with app.app_context():
        return bank_service.get_bank("tu-luan") is not None


def take(app, client, slug: str = QUIZ, essays: dict | None = None) -> int:
    """Start, answer (the single choice right, essays as given) and submit; the attempt id."""
    attempt_id = start(client, app, slug)
    texts = {"e-1": "Giải pháp một.\nGiải pháp hai.", "e-2": "Tiếp nhận, kiểm tra, trả kết quả."}
    texts.update(essays or {})
    form = answer_form(rows(app, attempt_id), texts)
    response = post(client, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    assert response.status_code == 302, response.status_code
    return attempt_id


def answer_id(app, attempt_id: int, key: str) -> int:
    return next(r for r in item_rows(app, attempt_id) if r.item["id"] == key).id


def item_rows(app, attempt_id: int) -> list[AttemptItem]:
    with app.app_context():
        found = db.session.scalars(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
            .order_by(AttemptItem.position)
        ).all()
        for row in found:
            db.session.expunge(row)
        return list(found)


def grade(client, app, answer: int, score: str, comment: str = "", **kw):
    return post(
        client, app, f"/quizzes/manage/grading/{answer}", {"score": score, "comment": comment}, **kw
    )


@pytest.fixture
def people(app):
    """An official (signed in on `official`) and a trainer (signed in on `trainer`)."""
    make_user(app, "hocvien", full_name="Lê Thị Mai")
    make_user(app, "giangvien", roles=("trainer",), full_name="Trần Văn Giảng")
    official, trainer = app.test_client(), app.test_client()
    login(official, app, "hocvien")
    login(trainer, app, "giangvien")
    return official, trainer


def test_essays_are_drawn_only_by_quizzes_that_ask_for_them(app, people):
    official, _ = people
    make_bank(app, ESSAY_BANK, slug="tu-luan")
    make_quiz(app, "khong-tu-luan", draw=[{"bank": "tu-luan", "count": 1}])
    setup_quiz(app)
    plain = start(official, app, "khong-tu-luan")
    assert [r.item["type"] for r in item_rows(app, plain)] == ["single"]
    with_essays = start(official, app, QUIZ)
    drawn = item_rows(app, with_essays)
    assert sorted(r.item["id"] for r in drawn) == ["e-1", "e-2", "q-single"]
    assert {r.item["id"]: r.manual for r in drawn} == {"e-1": True, "e-2": True, "q-single": False}
    page = official.get(f"/quizzes/attempts/{with_essays}").get_data(as_text=True)
    assert page.count("<textarea") == 2 and "Bài làm tự luận (giảng viên chấm):" in page


def test_a_quiz_asking_more_items_than_it_may_draw_names_the_kind_it_counts(app):
    from cchc_learn.quiz.quiz_loader import DrawSpec, QuizSpec
    from cchc_learn.quiz.quizzes import service as quiz_service

    make_bank(app, ESSAY_BANK, slug="tu-luan")
    with app.app_context():
        declare_write()
        for essays, message in (
            (False, "chỉ có 1 câu chấm tự động được"),
            (True, "chỉ có 3 câu rút được (kể cả tự luận)"),
        ):
            spec = QuizSpec(
                slug="qua-nhieu", title="T", draws=[DrawSpec("tu-luan", 4)], essays=essays
            )
            with pytest.raises(QuizError) as caught:
                quiz_service.save_quiz(None, spec)
            assert any(message in problem for problem in caught.value.problems)
        db.session.rollback()


def test_a_submitted_essay_waits_for_a_trainer_and_the_official_is_told(app, people):
    official, _ = people
    setup_quiz(app)
    attempt_id = take(app, official)
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score, attempt.passed, attempt.max_score) == (
        "submitted",
        None,
        None,
        3.0,
    )
    points = {r.item["id"]: r.points for r in item_rows(app, attempt_id)}
    assert points == {"q-single": 1.0, "e-1": None, "e-2": None}
    stored = {r.item["id"]: r.response for r in item_rows(app, attempt_id)}
    assert stored["e-1"] == "Giải pháp một.\nGiải pháp hai."
    text = page_text(official.get(f"/quizzes/attempts/{attempt_id}/result"))
    assert "Chờ chấm tự luận" in text and "Chưa đạt" not in text
    assert text.count("Đang chờ giảng viên chấm.") == 2
    assert "Bài viết của bạn: Giải pháp một. Giải pháp hai." in text
    listing = page_text(official.get(f"/quizzes/{QUIZ}"))
    assert "Chờ chấm tự luận" in listing
    index = page_text(official.get("/quizzes/"))
    assert "Bài có tự luận" in index and "Chờ chấm tự luận Đã làm 1/2 lượt" in index


def test_grading_every_essay_sets_score_and_pass_and_the_official_sees_grade_and_comment(
    app, people
):
    official, trainer = people
    setup_quiz(app, pass_mark=80)
    attempt_id = take(app, official)
    first, second = answer_id(app, attempt_id, "e-1"), answer_id(app, attempt_id, "e-2")

    form = page_text(trainer.get(f"/quizzes/manage/grading/{first}"))
    assert "Giải pháp một. Giải pháp hai." in form and "Gợi ý chấm:" in form
    response = grade(trainer, app, first, "0,75", "Thiếu giải pháp thứ ba.\nCần ví dụ cụ thể.")
    assert response.status_code == 302
    assert response.location == "/quizzes/manage/grading/"
    assert "Đã chấm câu" in page_text(trainer.get(response.location))
    assert attempt_row(app, attempt_id).score is None  # e-2 still waits
    text = page_text(official.get(f"/quizzes/attempts/{attempt_id}/result"))
    assert "Đã chấm: 0,75/1 điểm" in text
    assert "Nhận xét của giảng viên: Thiếu giải pháp thứ ba. Cần ví dụ cụ thể." in text
    assert "Đang chờ giảng viên chấm." in text

    assert grade(trainer, app, second, "0.6666666").status_code == 302
    attempt = attempt_row(app, attempt_id)
    assert attempt.score == pytest.approx(1 + 0.75 + 0.6666666)  # stored exactly
    assert attempt.passed is True  # 80.6 % >= 80 %
    text = page_text(official.get(f"/quizzes/attempts/{attempt_id}/result"))
    assert "2,42/3 điểm (80,6 %)" in text and "Đạt" in text
    assert "Đã chấm: 0,67/1 điểm" in text and "Đang chờ" not in text
    with app.app_context():
        row = db.session.get(AttemptItem, first)
        assert row.graded_by.username == "giangvien" and row.graded_at is not None
        assert row.grader_comment == "Thiếu giải pháp thứ ba.\nCần ví dụ cụ thể."
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "quiz.grade_essay")
            .order_by(AuditEntry.id)
        ).all()
        assert [e.actor_name for e in entries] == ["giangvien", "giangvien"]
        assert entries[0].target_id == str(first) and entries[0].after["points"] == 0.75
        assert "0,75/1 điểm" in entries[0].summary


def test_grading_an_answer_again_replaces_its_grade(app, people):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official)
    first, second = answer_id(app, attempt_id, "e-1"), answer_id(app, attempt_id, "e-2")
    grade(trainer, app, second, "0")
    grade(trainer, app, first, "1", "Tốt.")
    assert attempt_row(app, attempt_id).score == 2.0
    edit = trainer.get(f"/quizzes/manage/grading/{first}").get_data(as_text=True)
    assert 'value="1"' in edit and "Tốt." in edit  # the form shows the grade it changes
    grade(trainer, app, first, "0,25", "")
    attempt = attempt_row(app, attempt_id)
    assert attempt.score == 1.25 and attempt.passed is False
    row = next(r for r in item_rows(app, attempt_id) if r.id == first)
    assert (row.points, row.grader_comment) == (0.25, None)


def test_a_blank_essay_earns_nothing_without_waiting(app, people):
    official, _ = people
    setup_quiz(app)
    attempt_id = take(app, official, essays={"e-1": "   ", "e-2": ""})
    attempt = attempt_row(app, attempt_id)
    assert (attempt.score, attempt.passed) == (1.0, False)
    text = page_text(official.get(f"/quizzes/attempts/{attempt_id}/result"))
    assert text.count("Chưa trả lời: 0/1 điểm.") == 2 and "Chờ chấm" not in text


def test_an_attempt_closed_at_its_deadline_waits_for_grading_too(app, people, clock):
    official, trainer = people
    setup_quiz(app)
    attempt_id = start(official, app, QUIZ)
    form = answer_form(rows(app, attempt_id), {"e-1": "Đã lưu trước hạn."})
    post(official, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="save"))
    clock.advance(minutes=11)
    queue = page_text(trainer.get("/quizzes/manage/grading/"))
    assert "1 câu chờ chấm" in queue  # e-1; the blank e-2 earned 0
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score) == ("expired", None)


def test_the_queue_lists_waiting_essays_oldest_first_and_filters_by_quiz(app, people, clock):
    official, trainer = people
    setup_quiz(app)
    setup_quiz(app, "tu-luan-hai", title="Bài tự luận thứ hai")
    make_user(app, "hocvien2", full_name="Phạm Văn Hai")
    other = app.test_client()
    login(other, app, "hocvien2")
    late = take(app, other, "tu-luan-hai")
    clock.advance(minutes=5)
    take(app, official)
    clock.advance(minutes=5)
    text = page_text(trainer.get("/quizzes/manage/grading/"))
    assert "4 câu chờ chấm" in text
    assert text.index("Phạm Văn Hai") < text.index("Lê Thị Mai")
    only = page_text(trainer.get("/quizzes/manage/grading/?quiz=tu-luan-hai"))
    assert "2 câu chờ chấm ở bài Bài tự luận thứ hai" in only and "Lê Thị Mai" not in only
    assert "Bài tự luận thứ hai (2)" in only and "Bài có tự luận (2)" in only
    grade(trainer, app, answer_id(app, late, "e-1"), "1")
    grade(trainer, app, answer_id(app, late, "e-2"), "1")
    text = page_text(trainer.get("/quizzes/manage/grading/"))
    assert text.count("của Phạm Văn Hai: 1/1 điểm.") == 2  # the flashed messages
    listed = text.split("Lọc", 1)[1]
    assert "2 câu chờ chấm" in listed and "Phạm Văn Hai" not in listed
    empty = page_text(trainer.get("/quizzes/manage/grading/?quiz=tu-luan-hai"))
    assert "Không có câu tự luận nào chờ chấm." in empty
    unknown = trainer.get("/quizzes/manage/grading/?quiz=khong-co&page=99999999999999999999")
    assert unknown.status_code == 200 and "2 câu chờ chấm" in page_text(unknown)


@pytest.mark.parametrize(("score", "message"), BAD_SCORES)
def test_a_bad_score_is_refused_with_a_message_and_nothing_is_written(app, people, score, message):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official)
    before = snapshot(app)
    response = grade(trainer, app, answer_id(app, attempt_id, "e-1"), score, "Nhận xét")
    assert response.status_code == 422
    assert message in page_text(response)
    assert snapshot(app) == before


def test_a_comment_too_long_is_refused(app, people):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official)
    before = snapshot(app)
    response = grade(trainer, app, answer_id(app, attempt_id, "e-1"), "1", "x" * 5001)
    assert response.status_code == 422
    assert "Nhận xét: tối đa 5.000 ký tự." in page_text(response)
    assert snapshot(app) == before


def test_only_essays_of_submitted_attempts_can_be_graded(app, people):
    official, trainer = people
    setup_quiz(app)
    submitted = take(app, official)
    single = answer_id(app, submitted, "q-single")
    make_user(app, "dang-lam")
    busy = app.test_client()
    login(busy, app, "dang-lam")
    still_open = start(busy, app, QUIZ)
    open_essay, graded_essay = answer_id(app, still_open, "e-1"), answer_id(app, submitted, "e-1")
    before = snapshot(app)
    assert trainer.get(f"/quizzes/manage/grading/{single}").status_code == 404
    assert grade(trainer, app, single, "0").status_code == 404
    response = grade(trainer, app, open_essay, "1")
    assert response.status_code == 422
    assert "chỉ chấm được sau khi học viên nộp bài" in page_text(response)
    assert snapshot(app) == before
    with app.app_context():
        declare_write()
        with pytest.raises(essay_grading.AnswerNotFound):
            essay_grading.grade_answer(single, 1.0, None, 1)
        for points in (float("nan"), float("inf"), -1.0, 1.01, True):
            with pytest.raises(QuizError):
                essay_grading.grade_answer(graded_essay, points, None, 1)
    assert snapshot(app) == before


def test_officials_are_refused_the_grading_pages(app, people):
    official, _ = people
    setup_quiz(app)
    attempt_id = take(app, official)
    essay = answer_id(app, attempt_id, "e-1")
    before = snapshot(app)
    for path in ("/quizzes/manage/grading/", f"/quizzes/manage/grading/{essay}"):
        response = official.get(path)
        assert response.status_code == 403 and "Không có quyền truy cập" in page_text(response)
    assert grade(official, app, essay, "1").status_code == 403
    assert snapshot(app) == before
    anonymous = app.test_client()
    assert anonymous.get(f"/quizzes/manage/grading/{essay}").location.startswith("/auth/login")


@pytest.mark.parametrize(
    "answer", ["9223372036854775808", "2147483648", "18446744073709551616", "987654321", "-1"]
)
def test_answer_ids_that_name_nothing_give_404(app, people, answer):
    _, trainer = people
    assert trainer.get(f"/quizzes/manage/grading/{answer}").status_code == 404
    assert grade(trainer, app, answer, "1").status_code == 404


def test_grading_without_a_csrf_token_is_refused(app, people):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official)
    url = f"/quizzes/manage/grading/{answer_id(app, attempt_id, 'e-1')}"
    before = snapshot(app)
    for token in (None, "gia-mao", ""):
        data = {"score": "1", "comment": "x"}
        if token is not None:
            data["csrf_token"] = token
        response = trainer.post(url, data=data)
        assert response.status_code == 400 and "CSRF" in page_text(response)
    assert snapshot(app) == before


def test_an_essay_and_a_comment_are_shown_as_text_never_as_markup(app, people):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official, essays={"e-1": "<script>alert(1)</script><b>đậm</b>"})
    essay = answer_id(app, attempt_id, "e-1")
    grade(trainer, app, essay, "1", '<img src=x onerror="alert(2)">')
    for client, path in (
        (trainer, f"/quizzes/manage/grading/{essay}"),
        (trainer, f"/quizzes/manage/attempts/{attempt_id}"),
        (official, f"/quizzes/attempts/{attempt_id}/result"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, path
    html = official.get(f"/quizzes/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;đậm&lt;/b&gt;" in html
    assert "&lt;img src=x" in html


def test_the_item_analysis_waits_for_essays_to_be_graded(app, people):
    official, trainer = people
    setup_quiz(app)
    attempt_id = take(app, official)
    analysis = f"/quizzes/manage/quizzes/{QUIZ}/analysis"
    assert "Lượt đã chấm 0" in page_text(trainer.get(analysis))
    grade(trainer, app, answer_id(app, attempt_id, "e-1"), "1")
    grade(trainer, app, answer_id(app, attempt_id, "e-2"), "0,5")
    text = page_text(trainer.get(analysis))
    assert "Lượt đã chấm 1" in text and "Độ khó: 0,50" in text


def test_two_trainers_grading_one_attempt_at_once_both_count(app, people):
    official, trainer = people
    setup_quiz(app)
    make_user(app, "giangvien2", roles=("trainer",))
    second_trainer = app.test_client()
    login(second_trainer, app, "giangvien2")
    for round_ in range(3):
        attempt_id = take(app, official) if round_ == 0 else _another_attempt(app, round_)
        first, second = answer_id(app, attempt_id, "e-1"), answer_id(app, attempt_id, "e-2")
        responses = race(
            [
                lambda a=first: grade(trainer, app, a, "0,5"),
                lambda a=second: grade(second_trainer, app, a, "0,25"),
            ]
        )
        assert [r.status_code for r in responses] == [302, 302]
        attempt = attempt_row(app, attempt_id)
        assert (attempt.score, attempt.passed) == (1.75, True)
    # The same answer graded twice at once: one grade wins, the total counts it once.
    responses = race(
        [
            lambda: grade(trainer, app, first, "1"),
            lambda: grade(second_trainer, app, first, "0"),
        ]
    )
    assert [r.status_code for r in responses] == [302, 302]
    kept = next(r for r in item_rows(app, attempt_id) if r.id == first).points
    assert attempt_row(app, attempt_id).score == 1 + kept + 0.25


def _another_attempt(app, round_: int) -> int:
    make_user(app, f"hocvien-{round_}")
    client = app.test_client()
    login(client, app, f"hocvien-{round_}")
    return take(app, client)


def test_essay_answers_are_capped_and_saved_by_autosave(app, people):
    official, _ = people
    setup_quiz(app)
    attempt_id = start(official, app, QUIZ)
    position = next(r.position for r in item_rows(app, attempt_id) if r.item["id"] == "e-1")
    headers = {"X-CSRFToken": csrf_token(official, app), "Accept": "application/json"}
    url = f"/quizzes/attempts/{attempt_id}/autosave"
    saved = official.post(url, data={f"q{position}": "Dòng một\r\nDòng hai  "}, headers=headers)
    assert saved.status_code == 200 and saved.json["saved"] is True
    too_long = official.post(url, data={f"q{position}": "x" * 20_001}, headers=headers)
    assert too_long.json["problems"] == [
        f"Câu {position}: bài viết dài quá 20.000 ký tự nên không được lưu."
    ]
    stored = next(r.response for r in item_rows(app, attempt_id) if r.item["id"] == "e-1")
    assert stored == "Dòng một\nDòng hai"
    # A browser's maxlength counts a line break once; it posts CR LF, which is not held against it.
    full = official.post(url, data={f"q{position}": "ab\r\n" * 6_666}, headers=headers)
    assert full.json["problems"] == []
    stored = next(r.response for r in item_rows(app, attempt_id) if r.item["id"] == "e-1")
    assert len(stored) == 3 * 6_666 - 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
