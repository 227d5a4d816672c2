"""Item analysis on a small example computed by hand."""

from __future__ import annotations

import pytest
from helpers import login, make_user, page_text, post
from quizapp_support import answer_form, make_bank, make_quiz, rows, start

from cchc_learn.quiz.analysis import service as analysis
from cchc_learn.quiz.quizzes.service import get_quiz

BANK = """## A: câu một lựa chọn?
{id=a}
- [x] X
- [ ] Y
- [ ] Z

## B: một cửa là cơ chế tiếp nhận tập trung.
{id=b}
= Đúng

## C: viết tắt của chỉ số hài lòng?
{id=c}
= SIPAS

## D: bao nhiêu chỉ số thành phần?
{id=d}
= 58 ± 0
"""

# Four officials, in this order (ties in the ranking go to the earlier attempt):
#   cb1: a=X  b=Đúng c=abc   d=1  -> 2 points (a, b)   upper group
#   cb2: a=X  b=Sai  c=—     d=2  -> 1 point  (a)
#   cb3: a=Y  b=Đúng c=xyz   d=1  -> 1 point  (b)
#   cb4: a=Z  b=Sai  c=SIPAS d=—  -> 1 point  (c)      lower group
# With 4 attempts each group holds round(0.27 x 4) = 1 attempt.
ANSWERS = [
    {"a": 0, "b": True, "c": "abc", "d": "1"},
    {"a": 0, "b": False, "c": None, "d": "2"},
    {"a": 1, "b": True, "c": "xyz", "d": "1"},
    {"a": 2, "b": False, "c": "SIPAS", "d": None},
]


@pytest.fixture
def answered(app, clock):
    make_bank(app, BANK, slug="phan-tich")
    make_quiz(
        app,
        "phan-tich",
        draw=[{"bank": "phan-tich", "count": 4}],
        shuffle_questions=False,
        attempts=None,
    )
    for number, answers in enumerate(ANSWERS, start=1):
        client = app.test_client()
        make_user(app, f"cb{number}")
        login(client, app, f"cb{number}")
        attempt_id = start(client, app, "phan-tich")
        form = answer_form(rows(app, attempt_id), answers)
        post(client, app, f"/quizzes/attempts/{attempt_id}", dict(form, action="submit"))
    # An attempt still open counts for nothing.
    late = app.test_client()
    make_user(app, "cb5")
    login(late, app, "cb5")
    start(late, app, "phan-tich")


def test_figures_match_the_hand_computation(app, answered):
    with app.app_context():
        result = analysis.analyse(get_quiz("phan-tich"))
    assert (result.attempts, result.group_size) == (4, 1)
    assert result.mean_percent == pytest.approx(31.25) and result.pass_rate == pytest.approx(25.0)
    stats = {s.key: s for s in result.items}
    assert [s.key for s in result.items] == ["d", "c", "a", "b"]  # hardest first
    assert {k: s.facility for k, s in stats.items()} == pytest.approx(
        {"a": 0.5, "b": 0.5, "c": 0.25, "d": 0.0}
    )
    assert {k: s.discrimination for k, s in stats.items()} == pytest.approx(
        {"a": 1.0, "b": 1.0, "c": -1.0, "d": 0.0}
    )
    assert [(o.count, o.correct) for o in stats["a"].options] == [(2, True), (1, False), (1, False)]
    assert [o.share for o in stats["a"].options] == pytest.approx([0.5, 0.25, 0.25])
    assert [(o.html, o.count, o.correct) for o in stats["b"].options] == [
        ("Đúng", 2, True),
        ("Sai", 2, False),
    ]
    assert stats["c"].answers == [("abc", 1), ("sipas", 1), ("xyz", 1)]
    assert stats["d"].answers == [("1", 2), ("2", 1)]
    assert stats["c"].flags == ["Độ phân biệt âm: nhóm điểm thấp làm tốt hơn nhóm điểm cao"]
    assert stats["d"].flags == ["Không ai trả lời đúng hoàn toàn"]
    assert stats["a"].flags == stats["b"].flags == []


def test_the_analysis_page_shows_the_figures_and_flags(app, answered):
    make_user(app, "giangvien", roles=("trainer",))
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    text = page_text(trainer.get("/quizzes/manage/quizzes/phan-tich/analysis"))
    assert "Lượt đã chấm 4" in text and "Điểm trung bình 31,2 %" in text
    assert "Tỷ lệ đạt 25,0 %" in text
    assert "Độ khó: 0,25 · Độ phân biệt: -1,00 · Đúng hoàn toàn: 1/4" in text
    assert "Độ khó: 0,00 · Độ phân biệt: 0,00 · Đúng hoàn toàn: 0/4" in text
    assert "Không ai trả lời đúng hoàn toàn" in text and "Độ phân biệt âm" in text
    assert "X đúng 2 50 %" in text


def test_group_sizes():
    assert [analysis.group_size(n) for n in (0, 1, 2, 3, 4, 10, 100)] == [0, 0, 1, 1, 1, 3, 27]


def test_a_quiz_without_graded_attempts_has_no_figures(app, client):
    make_bank(app, BANK, slug="phan-tich")
    make_quiz(app, "trong", draw=[{"bank": "phan-tich", "count": 2}])
    with app.app_context():
        result = analysis.analyse(get_quiz("trong"))
    assert (result.attempts, result.mean_percent, result.pass_rate, result.items) == (
        0,
        None,
        None,
        [],
    )
