"""The quiz job of `cchc-learn tick` closes and grades overdue attempts, like `quiz sweep`."""

from __future__ import annotations

from helpers import login, make_user
from quizapp_support import attempt_row, make_bank, make_quiz, start


def test_tick_closes_an_overdue_attempt(app, client, clock, runner):
    make_bank(app)
    make_quiz(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    attempt_id = start(client, app)
    clock.advance(minutes=11)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "quiz: đã đóng và chấm 1 lượt làm bài quá giờ" in result.output.splitlines()
    assert attempt_row(app, attempt_id).status == "expired"
    assert "quiz: đã đóng và chấm 0 lượt" in runner.invoke(args=["tick"]).output
