"""Requests that race: two starts, two submits, a submit against the sweeper."""

from __future__ import annotations

from helpers import login, make_user, page_text, post
from quizapp_support import answer_form, attempt_row, make_bank, make_quiz, race, rows, start
from sqlalchemy import func, select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.attempts import lifecycle as attempts
from cchc_learn.quiz.models import Attempt, AttemptChoice

RACERS = 4


def sessions(app, count: int) -> list:
    """Several signed-in sessions of the same official (tabs, browsers, devices)."""
    make_user(app, "hocvien")
    clients = []
    for _ in range(count):
        client = app.test_client()
        login(client, app, "hocvien")
        clients.append(client)
    return clients


def test_racing_starts_open_one_attempt(app):
    make_bank(app)
    make_quiz(app)
    clients = sessions(app, RACERS)
    responses = race([lambda c=c: post(c, app, "/quizzes/kiem-tra-thu/start") for c in clients])
    assert {r.status_code for r in responses} == {302}
    assert len({r.location for r in responses}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_racing_submits_grade_once(app):
    make_bank(app)
    make_quiz(app)
    clients = sessions(app, RACERS)
    attempt_id = start(clients[0], app)
    form = dict(answer_form(rows(app, attempt_id)), action="submit")
    url = f"/quizzes/attempts/{attempt_id}"
    responses = race([lambda c=c: post(c, app, url, form) for c in clients])
    assert {r.location for r in responses} == {f"{url}/result"}
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score) == ("submitted", 6.0)
    with app.app_context():
        # single 1 + multiple 2 + true/false 1: recorded once, not once per request
        assert db.session.scalar(select(func.count()).select_from(AttemptChoice)) == 4


def test_a_late_submit_racing_the_sweeper_is_graded_once(app, clock):
    make_bank(app)
    make_quiz(app)
    [client] = sessions(app, 1)
    attempt_id = start(client, app)
    url = f"/quizzes/attempts/{attempt_id}"
    post(client, app, url, dict(answer_form(rows(app, attempt_id)), action="save"))
    late = dict(answer_form(rows(app, attempt_id), {"q-single": 0}), action="submit")
    clock.advance(minutes=11)

    def sweeper():
        with app.app_context():
            declare_write()
            closed = attempts.sweep()
            db.session.commit()
            return closed

    response, closed = race([lambda: post(client, app, url, late), sweeper])
    assert response.location == f"{url}/result" and closed in (0, 1)
    attempt = attempt_row(app, attempt_id)
    # Whoever closed it graded what was saved before the deadline, once.
    assert (attempt.status, attempt.score) == ("expired", 6.0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttemptChoice)) == 4


def test_twenty_racing_submits_without_a_time_limit_all_see_the_graded_result(app):
    make_bank(app)
    make_quiz(app, time_limit=None)
    clients = sessions(app, 20)
    attempt_id = start(clients[0], app)
    form = dict(answer_form(rows(app, attempt_id)), action="submit")
    url = f"/quizzes/attempts/{attempt_id}"
    responses = race([lambda c=c: post(c, app, url, form) for c in clients])
    assert {r.location for r in responses} == {f"{url}/result"}
    for client in clients:
        text = page_text(client.get(f"{url}/result"))
        assert "6/6 điểm" in text
        assert "Đã hết giờ" not in text
    attempt = attempt_row(app, attempt_id)
    assert (attempt.status, attempt.score) == ("submitted", 6.0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttemptChoice)) == 4
