"""Graders: the points a learner gets for each kind of response, edge cases included."""

from __future__ import annotations

import copy
import time

import pytest

from cchc_learn.quiz.questions import (
    GRADERS,
    TYPES,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    Part,
    Score,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    grade,
)

SINGLE = SingleChoice(
    stem="Chỉ số SIPAS đo gì?",
    options=[
        Option(text="PCI", feedback="Không phải"),
        Option(text="Sự hài lòng", weight=100, feedback="Đúng"),
        Option(text="Một phần", weight=50),
        Option(text="Sai nặng", weight=-25),
    ],
)
MULTIPLE = MultipleChoice(
    stem="Chọn hai",
    options=[
        Option(text="a", weight=50, feedback="fa"),
        Option(text="b", weight=50),
        Option(text="c", weight=-100, feedback="fc"),
        Option(text="d"),
    ],
)


def points(item, response):
    return grade(item, response).points


# ---------------------------------------------------------------- single


def test_single_right_wrong_and_partial():
    right = grade(SINGLE, 1)
    assert right == Score(
        points=1.0, correct=True, partial=False, parts=(Part(1, True, 1.0, "Đúng"),)
    )
    assert right.feedback == ["Đúng"]
    assert (points(SINGLE, 0), grade(SINGLE, 0).correct, grade(SINGLE, 0).feedback) == (
        0.0,
        False,
        ["Không phải"],
    )
    half = grade(SINGLE, 2)
    assert (half.points, half.correct, half.partial) == (0.5, False, True)


def test_single_negative_weight_is_floored_at_zero_but_reported():
    score = grade(SINGLE, 3)
    assert score.points == 0.0 and score.parts[0].credit == -0.25


@pytest.mark.parametrize("response", [4, -1, True, "1", 1.0, [1], {1: 1}])
def test_single_invalid_keys_earn_nothing_and_are_listed(response):
    score = grade(SINGLE, response)
    assert (score.points, score.correct, score.ignored) == (0.0, False, (response,))


def test_single_unanswered():
    assert grade(SINGLE, None) == Score(points=0.0, correct=False, partial=False)


def test_grading_uses_authored_keys_not_display_order():
    shuffled_display = [3, 0, 2, 1]  # what the page showed; the response names the key
    assert grade(SINGLE, shuffled_display[3]).correct


# ---------------------------------------------------------------- multiple


def test_multiple_sums_chosen_weights():
    assert points(MULTIPLE, [0, 1]) == 1.0 and grade(MULTIPLE, {0, 1}).correct
    half = grade(MULTIPLE, [1])
    assert (half.points, half.partial) == (0.5, True)
    assert points(MULTIPLE, [0, 2]) == 0.0
    assert grade(MULTIPLE, [0, 2]).feedback == ["fa", "fc"]


def test_multiple_all_options_chosen_is_penalised_by_negative_weights():
    assert points(MULTIPLE, [0, 1, 2, 3]) == 0.0


def test_multiple_all_options_chosen_without_negative_weights_is_full_as_in_moodle():
    lenient = MultipleChoice(
        stem="s",
        options=[Option(text="a", weight=50), Option(text="b", weight=50), Option(text="c")],
    )
    assert points(lenient, [0, 1, 2]) == 1.0


def test_multiple_caps_at_one_and_counts_duplicates_once():
    assert points(MULTIPLE, [0, 0, 0, 1, 1]) == 1.0
    assert points(MULTIPLE, [0, 0, 0]) == 0.5


def test_multiple_thirds_written_by_hand_give_full_marks():
    thirds = MultipleChoice(
        stem="s",
        options=[Option(text=t, weight=33.33333) for t in "abc"] + [Option(text="d", weight=-100)],
    )
    score = grade(thirds, [0, 1, 2])
    assert (score.points, score.correct) == (1.0, True)


def test_multiple_invalid_keys_are_ignored_and_listed():
    score = grade(MULTIPLE, [0, 9, "1", True, -1, 1])
    assert score.points == 1.0 and score.ignored == (9, "1", True, -1)


@pytest.mark.parametrize("response", ["01", b"01", 1, {0: True}])
def test_multiple_response_of_the_wrong_kind(response):
    assert grade(MULTIPLE, response).ignored == (response,) and points(MULTIPLE, response) == 0.0


def test_multiple_empty_and_unanswered():
    assert points(MULTIPLE, []) == 0.0 and points(MULTIPLE, None) == 0.0


# ---------------------------------------------------------------- true / false

TRUE_FALSE = TrueFalse(
    stem="s", answer=False, feedback_true="Chưa đúng", feedback_false="Chính xác"
)


def test_true_false_right_and_wrong_with_feedback_of_the_choice():
    assert (points(TRUE_FALSE, False), grade(TRUE_FALSE, False).feedback) == (1.0, ["Chính xác"])
    assert (points(TRUE_FALSE, True), grade(TRUE_FALSE, True).feedback) == (0.0, ["Chưa đúng"])


@pytest.mark.parametrize("response", [0, "false", "Sai"])
def test_true_false_only_takes_booleans(response):
    assert grade(TRUE_FALSE, response).ignored == (response,)


# ---------------------------------------------------------------- short answer

SHORT = ShortAnswer(
    stem="s",
    answers=[
        TextAnswer(text="Bình dân học vụ số", feedback="Đúng"),
        TextAnswer(text="Bình dân *", weight=50, feedback="Gần đúng"),
        TextAnswer(text="163/Q*", weight=100),
        TextAnswer(text="a\\*b"),
        TextAnswer(text="*", weight=0, feedback="Sai"),
    ],
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bình dân học vụ số", 1.0),
        ("  bình   DÂN học VỤ số ", 1.0),
        ("Bi\u0300nh dân học vụ số", 1.0),  # decomposed input
        ("Bình dân học", 0.5),
        ("163/QĐ-TTg", 1.0),
        ("163/q", 1.0),
        ("số 163/QĐ", 0.0),  # the wildcard is anchored at both ends
        ("a*b", 1.0),
        ("aXb", 0.0),
        ("Binh dan hoc vu so", 0.0),  # accents matter unless the item says otherwise
        ("bất kỳ", 0.0),
    ],
)
def test_short_answer_matching(typed, expected):
    assert points(SHORT, typed) == expected


def test_short_answer_takes_best_weight_and_catch_all_gives_feedback_only():
    score = grade(SHORT, "Bình dân học vụ số")
    assert score.parts == (Part(0, True, 1.0, "Đúng"),)
    wrong = grade(SHORT, "bất kỳ")
    assert (wrong.points, wrong.feedback, wrong.parts[0].key) == (0.0, ["Sai"], 4)


def test_short_answer_diacritics_insensitive_folds_accents_and_d():
    item = ShortAnswer(stem="s", answers=[TextAnswer(text="Đà Nẵng")], diacritics_insensitive=True)
    assert [points(item, t) for t in ("da nang", "ĐÀ NẴNG", "Đa Nang", "Da Nang x")] == [1, 1, 1, 0]


@pytest.mark.parametrize("response", ["", "   ", None])
def test_short_answer_blank_earns_nothing_even_with_a_catch_all(response):
    score = grade(SHORT, response)
    assert score.points == 0.0 and score.parts == ()


@pytest.mark.parametrize("response", [42, ["x"], "x" * 2001])
def test_short_answer_wrong_kind_or_huge(response):
    assert grade(SHORT, response).ignored == (response,)


def test_short_answer_many_wildcards_against_long_input_is_fast():
    # As a regular expression (.*a.*a…b) this backtracks for ages; the matcher does not.
    item = ShortAnswer(stem="s", answers=[TextAnswer(text="*" + "a*" * 30 + "b*")])
    started = time.perf_counter()
    assert points(item, "a" * 2000) == 0.0
    assert time.perf_counter() - started < 1


# ---------------------------------------------------------------- numerical

NUMERICAL = Numerical(
    stem="s",
    answers=[
        NumericAnswer(min=3.13, max=3.15, feedback="Đúng"),
        NumericAnswer(min=3.0, max=3.3, weight=50, feedback="Gần"),
        NumericAnswer(min=None, max=None, weight=0, feedback="Sai"),
    ],
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3,14", 1.0),
        ("3.14", 1.0),
        (" 3.15 ", 1.0),
        ("3.13", 1.0),
        ("3,2", 0.5),
        ("3", 0.5),
        ("−3,14", 0.0),
        ("314e-2", 1.0),
        (3.14, 1.0),
        (3, 0.5),
        ("10", 0.0),
    ],
)
def test_numerical_accepts_comma_or_point_and_takes_best_interval(typed, expected):
    assert points(NUMERICAL, typed) == expected


@pytest.mark.parametrize(
    "typed", ["abc", "3,14,15", "1 000", "NaN", "inf", True, float("nan"), "9" * 500]
)
def test_numerical_rejects_non_numbers(typed):
    score = grade(NUMERICAL, typed)
    assert score.points == 0.0 and score.ignored == (typed,)


def test_numerical_catch_all_and_blank():
    assert grade(NUMERICAL, "100").feedback == ["Sai"]
    assert grade(NUMERICAL, "").parts == () and points(NUMERICAL, None) == 0.0


def test_numerical_exact_answer_from_markdown():
    exact = Numerical(stem="s", answers=[NumericAnswer(min=360, max=360)])
    assert [points(exact, t) for t in ("360", "360,0", "359.999", "360.001")] == [1, 1, 0, 0]


# ---------------------------------------------------------------- matching

MATCHING = Matching(
    stem="s",
    pairs=[
        Pair(left="PCI", right="Cạnh tranh"),
        Pair(left="PAPI", right="Quản trị"),
        Pair(left="SIPAS", right="Hài lòng"),
        Pair(left="PAR INDEX", right="Hài lòng"),
        Pair(left="", right="Con người"),
    ],
)


def test_matching_all_right():
    score = grade(MATCHING, {0: 0, 1: 1, 2: 2, 3: 3})
    assert (score.points, score.correct) == (1.0, True)


def test_matching_partial_credit_per_real_pair():
    score = grade(MATCHING, {0: 0, 1: 2, 2: 2})
    assert (score.points, score.partial) == (0.5, True)
    assert [p.correct for p in score.parts] == [True, False, True, False]


def test_matching_shared_right_side_counts_either_key():
    assert points(MATCHING, {0: 0, 1: 1, 2: 3, 3: 2}) == 1.0


def test_matching_distractor_never_matches_and_its_key_is_ignored():
    score = grade(MATCHING, {0: 4, 1: 4, 4: 4})
    assert score.points == 0.0 and score.ignored == (4,)


def test_matching_invalid_choices_are_listed():
    score = grade(MATCHING, {0: 0, 1: 99, 2: "2", 7: 1})
    assert score.points == 0.25 and set(score.ignored) == {7, 99, "2"}


@pytest.mark.parametrize("response", [[0, 1], "0:0"])
def test_matching_wrong_kind(response):
    assert grade(MATCHING, response).ignored == (response,)


def test_matching_unanswered():
    assert points(MATCHING, {}) == 0.0 and points(MATCHING, None) == 0.0


# ---------------------------------------------------------------- not auto-graded


def test_essay_needs_a_person_and_description_is_not_graded():
    assert grade(Essay(stem="s"), "bài viết") == Score(
        points=None, correct=False, partial=False, needs_manual=True
    )
    assert grade(Description(stem="s"), None).needs_manual is False
    assert grade(Description(stem="s"), None).points is None


def test_registry_covers_every_type_and_grading_changes_nothing():
    assert set(GRADERS) == set(TYPES)
    before = copy.deepcopy(MULTIPLE)
    grade(MULTIPLE, [0, 1, 2, 3])
    assert MULTIPLE == before
