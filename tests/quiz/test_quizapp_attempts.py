"""The life of an attempt through the real pages: start, save, resume, submit, deadline, sweep."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from helpers import csrf_token, login, make_user, page_text, post
from quizapp_support import (
    RIGHT,
    answer_form,
    attempt_row,
    local,
    make_bank,
    make_quiz,
    rows,
    start,
)
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.models import Attempt, AttemptChoice


@pytest.fixture
def official(app, client, clock):
    make_bank(app)
    make_quiz(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    return client


def autosave(client, app, attempt_id, form):
    """Post answers the way quiz.js does: CSRF token in a header."""
    return client.post(
        f"/quizzes/attempts/{attempt_id}/autosave",
        data=form,
        headers={"X-CSRFToken": csrf_token(client, app), "Accept": "application/json"},
    )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_start_fixes_the_drawn_items_and_a_second_start_resumes(app, official):
    attempt_id = start(official, app)
    drawn = rows(app, attempt_id)
    assert sorted(r["key"] for r in drawn) == sorted(
        ["q-single", "q-multi", "q-tf", "q-short", "q-num", "q-match"]
    )
    first = official.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert start(official, app) == attempt_id
    again = official.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    ids = re.findall(r'name="q\d+[^"]*" value="([^"]+)"', first)
    assert ids and ids == re.findall(r'name="q\d+[^"]*" value="([^"]+)"', again)
    assert rows(app, attempt_id) == drawn
    assert count(app, Attempt) == 1


def test_autosave_keeps_answers_that_a_reload_shows(app, official):
    attempt_id = start(official, app)
    items = rows(app, attempt_id)
    form = answer_form(items, {"q-short": "câu trả lời của tôi"})
    response = autosave(official, app, attempt_id, form)
    assert response.status_code == 200 and response.json["saved"] is True
    assert response.json["saved_at"].endswith("02/03/2026") and response.json["problems"] == []
    page = official.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    single = next(r for r in items if r["key"] == "q-single")
    chosen = form[f"q{single['position']}"]
    assert re.search(rf'value="{chosen}" checked', page)
    assert 'value="câu trả lời của tôi"' in page
    assert "Đã lưu lúc 08:00 02/03/2026" in page_text(
        official.get(f"/quizzes/attempts/{attempt_id}")
    )


def test_the_plain_save_button_works_without_javascript(app, official):
    attempt_id = start(official, app)
    form = answer_form(rows(app, attempt_id), {"q-num": "57"})
    response = post(official, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="save"))
    assert response.headers["Location"] == f"/quizzes/attempts/{attempt_id}"
    assert "Đã lưu câu trả lời lúc 08:00 02/03/2026" in page_text(official.get(response.location))
    saved = {r["key"]: r["response"] for r in rows(app, attempt_id)}
    assert saved["q-num"] == "57" and attempt_row(app, attempt_id).status == "open"


def test_submit_grades_and_the_result_page_reviews_every_item(app, official):
    attempt_id = start(official, app)
    form = answer_form(rows(app, attempt_id), {"q-num": "60"})
    response = post(official, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    assert response.headers["Location"] == f"/quizzes/attempts/{attempt_id}/result"
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score, attempt.max_score, attempt.passed) == (
        "submitted",
        5.0,
        6.0,
        True,
    )
    text = page_text(official.get(response.location))
    assert "5/6 điểm (83,3 %)" in text and "Đạt" in text
    assert "Giải thích: Hà Nội là thủ đô." in text and "Đúng vậy." in text
    assert "Bạn trả lời: 60" in text and "Đáp án đúng: 58" in text
    html = official.get(response.location).get_data(as_text=True)
    assert 'href="/modules/mot-cua/gioi-thieu"' in html


def test_a_double_submit_grades_once_and_lands_on_the_same_result(app, official):
    attempt_id = start(official, app)
    items = rows(app, attempt_id)
    url = f"/quizzes/attempts/{attempt_id}"
    first = post(official, app, url, dict(answer_form(items), action="submit"))
    graded = attempt_row(app, attempt_id)
    choices = count(app, AttemptChoice)
    wrong = answer_form(items, {"q-single": 0, "q-short": "sai"})
    second = post(official, app, url, dict(wrong, action="submit"))
    stale = autosave(official, app, attempt_id, wrong)
    assert first.location == second.location == f"{url}/result"
    assert stale.status_code == 409 and stale.json["result_url"] == f"{url}/result"
    again = attempt_row(app, attempt_id)
    assert (again.score, again.submitted_at, again.status) == (
        6.0,
        graded.submitted_at,
        "submitted",
    )
    assert count(app, AttemptChoice) == choices
    assert {r["key"]: r["response"] for r in rows(app, attempt_id)}["q-short"] == "par-index"
    assert "đã được nộp và chấm" in page_text(official.get(second.location))


def test_answers_within_the_grace_count_and_later_ones_do_not(app, official, clock):
    attempt_id = start(official, app)
    items = rows(app, attempt_id)
    clock.advance(minutes=10, seconds=25)  # past the 10 minutes, inside the 30 s grace
    assert autosave(official, app, attempt_id, answer_form(items)).status_code == 200
    clock.advance(seconds=10)
    late = autosave(official, app, attempt_id, answer_form(items, {"q-single": 0}))
    assert late.status_code == 409 and late.json["closed"] is True
    attempt = attempt_row(app, attempt_id)
    assert attempt.status == "expired" and attempt.score == 6.0
    assert attempt.submitted_at == attempt.started_at + timedelta(minutes=10)
    response = post(
        official,
        app,
        f"/quizzes/attempts/{attempt_id}",
        dict(answer_form(items, {"q-single": 0}), action="submit"),
    )
    assert response.location.endswith("/result")
    assert attempt_row(app, attempt_id).score == 6.0
    text = page_text(official.get(response.location))
    assert "hết giờ lúc 08:10 02/03/2026" in text and "6/6" in text


def test_a_submit_after_the_deadline_records_nothing_and_grades_what_was_saved(
    app, official, clock
):
    attempt_id = start(official, app)
    items = rows(app, attempt_id)
    autosave(official, app, attempt_id, answer_form(items, {"q-multi": None, "q-tf": None}))
    clock.advance(minutes=11)
    response = post(
        official, app, f"/quizzes/attempts/{attempt_id}", dict(answer_form(items), action="submit")
    )
    assert response.location.endswith("/result")
    assert "không được ghi nhận" in page_text(official.get(response.location))
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score) == ("expired", 4.0)
    saved = {r["key"]: r["response"] for r in rows(app, attempt_id)}
    assert saved["q-multi"] is None and saved["q-tf"] is None


def test_pages_sweep_overdue_attempts_and_so_does_the_command(app, official, clock, runner):
    attempt_id = start(official, app)
    autosave(official, app, attempt_id, answer_form(rows(app, attempt_id), {"q-single": 0}))
    clock.advance(minutes=11)
    text = page_text(official.get("/quizzes/"))
    assert attempt_row(app, attempt_id).status == "expired"
    assert "Đã làm 1/2 lượt · điểm cao nhất 83 %" in text
    other = app.test_client()
    make_user(app, "canbo2")
    login(other, app, "canbo2")
    second = start(other, app)
    clock.advance(minutes=11)
    result = runner.invoke(args=["quiz", "sweep"])
    assert result.exit_code == 0 and "Đã đóng và chấm 1 lượt" in result.output
    closed = attempt_row(app, second)
    assert (closed.status, closed.score, closed.passed) == ("expired", 0.0, False)
    assert runner.invoke(args=["quiz", "sweep"]).output.startswith("Đã đóng và chấm 0 lượt")


def test_the_attempt_page_of_an_overdue_attempt_closes_it(app, official, clock):
    attempt_id = start(official, app)
    clock.advance(minutes=20)
    response = official.get(f"/quizzes/attempts/{attempt_id}")
    assert response.location == f"/quizzes/attempts/{attempt_id}/result"
    assert attempt_row(app, attempt_id).status == "expired"
    assert "Đã hết giờ làm bài" in page_text(official.get(response.location))


def test_the_attempt_limit_holds(app, official):
    for _ in range(2):
        attempt_id = start(official, app)
        post(official, app, f"/quizzes/attempts/{attempt_id}", {"action": "submit"})
    response = post(official, app, "/quizzes/kiem-tra-thu/start")
    assert response.location == "/quizzes/kiem-tra-thu"
    assert "Bạn đã dùng hết 2 lượt" in page_text(official.get(response.location))
    assert count(app, Attempt) == 2
    with app.app_context():
        numbers = db.session.scalars(select(Attempt.number).order_by(Attempt.number)).all()
    assert numbers == [1, 2]


def test_a_quiz_opens_and_closes_on_time(app, client, clock):
    make_bank(app)
    make_quiz(app, "sap-mo", opens="2026-03-02 09:00", closes="2026-03-02 09:05")
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    early = post(client, app, "/quizzes/sap-mo/start")
    assert early.location == "/quizzes/sap-mo"
    assert "Bài kiểm tra mở lúc 09:00 02/03/2026" in page_text(client.get(early.location))
    clock.current = local("2026-03-02T09:00:00")
    attempt_id = start(client, app, "sap-mo")
    # The quiz closes before the 10 minutes are up: the attempt ends with it.
    assert attempt_row(app, attempt_id).deadline_at == local("2026-03-02T09:05:00")
    clock.current = local("2026-03-02T09:06:00")
    assert client.get("/quizzes/").status_code == 200
    assert attempt_row(app, attempt_id).status == "expired"
    late = post(client, app, "/quizzes/sap-mo/start")
    assert "Bài kiểm tra đã đóng lúc 09:05 02/03/2026" in page_text(client.get(late.location))


def test_after_close_review_waits_for_the_last_attempt(app, client, clock):
    make_bank(app)
    make_quiz(app, "sau-khi-dong", review="after_close")
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    first = start(client, app, "sau-khi-dong")
    post(client, app, f"/quizzes/attempts/{first}", {"action": "submit"})
    text = page_text(client.get(f"/quizzes/attempts/{first}/result"))
    assert "0/6 điểm" in text and "Chưa đạt" in text
    assert "sau khi bạn dùng hết các lượt" in text and "Giải thích" not in text
    second = start(client, app, "sau-khi-dong")
    post(client, app, f"/quizzes/attempts/{second}", {"action": "submit"})
    assert "Giải thích: Hà Nội là thủ đô." in page_text(
        client.get(f"/quizzes/attempts/{first}/result")
    )


def test_never_review_shows_the_score_only(app, client, clock):
    make_bank(app)
    make_quiz(app, "khong-xem", review="never", attempts=None)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    attempt_id = start(client, app, "khong-xem")
    form = answer_form(rows(app, attempt_id))
    post(client, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    response = client.get(f"/quizzes/attempts/{attempt_id}/result")
    text = page_text(response)
    assert "6/6 điểm" in text and "không cho xem đáp án" in text
    assert "Hà Nội là thủ đô" not in text and "đáp án đúng" not in text


def test_open_and_closed_attempts_redirect_to_their_page(app, official):
    attempt_id = start(official, app)
    assert official.get(f"/quizzes/attempts/{attempt_id}/result").location == (
        f"/quizzes/attempts/{attempt_id}"
    )
    post(official, app, f"/quizzes/attempts/{attempt_id}", {"action": "submit"})
    assert official.get(f"/quizzes/attempts/{attempt_id}").location == (
        f"/quizzes/attempts/{attempt_id}/result"
    )


def test_the_database_refuses_a_second_open_attempt(app, official):
    attempt_id = start(official, app)
    first = attempt_row(app, attempt_id)
    with app.app_context():
        declare_write()
        db.session.add(
            Attempt(quiz_id=first.quiz_id, user_id=first.user_id, number=2, seed=1, status="open")
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    # A closed attempt does not count: the next one may open.
    post(official, app, f"/quizzes/attempts/{attempt_id}", {"action": "submit"})
    assert start(official, app) != attempt_id


def test_scores_are_shown_with_at_most_two_decimals(app, official):
    attempt_id = start(official, app)
    left, right = next(iter(RIGHT["q-match"].items()))
    form = answer_form(rows(app, attempt_id), {"q-match": {left: right}})  # one pair of three
    post(official, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    text = page_text(official.get(f"/quizzes/attempts/{attempt_id}/result"))
    assert "5,33/6 điểm" in text and "0,33/1 điểm" in text
    assert "0,333" not in text and "5,333" not in text
    with app.app_context():
        stored = db.session.get(Attempt, attempt_id).score
    assert abs(stored - (5 + 1 / 3)) < 1e-9  # exact value kept
