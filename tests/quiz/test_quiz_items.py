"""The item model: text cleaning and validation messages."""

from __future__ import annotations

import math

import pytest

from cchc_learn.quiz.questions import (
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    clean_text,
    normalize_item,
    validate_item,
)


def make_single(**kw):
    kw.setdefault("stem", "Câu hỏi?")
    kw.setdefault("options", [Option(text="A", weight=100), Option(text="B")])
    return SingleChoice(**kw)


def test_clean_text_normalizes_unicode_newlines_and_blank_lines():
    decomposed = "Thu\u0309 tu\u0323c"  # combining hook above and dot below
    assert clean_text(f"  {decomposed}\r\n  \t \r\nb  \n") == "Thủ tục\n\nb"


def test_clean_text_keeps_inner_indentation_and_hard_breaks():
    assert clean_text("a  \n    code") == "a  \n    code"


def test_clean_text_keeps_no_break_space_at_the_ends():
    assert clean_text("\u00a0x\u00a0") == "\u00a0x\u00a0"


def test_valid_items_of_every_type_have_no_problems():
    items = [
        make_single(),
        MultipleChoice(
            stem="s",
            options=[
                Option(text="a", weight=50),
                Option(text="b", weight=50),
                Option(text="c", weight=-100),
            ],
        ),
        TrueFalse(stem="s", answer=False),
        ShortAnswer(stem="s", answers=[TextAnswer(text="x")]),
        Numerical(stem="s", answers=[NumericAnswer(min=1, max=2)]),
        Matching(
            stem="s",
            pairs=[Pair(left="a", right="1"), Pair(left="b", right="2"), Pair(left="", right="3")],
        ),
        Essay(stem="s"),
        Description(stem="s"),
    ]
    assert [validate_item(item) for item in items] == [[]] * len(items)
    assert [item.auto_graded for item in items] == [True] * 6 + [False] * 2


def test_single_without_full_option_is_rejected():
    item = make_single(options=[Option(text="A", weight=50), Option(text="B")])
    assert validate_item(item) == ["câu hỏi không có đáp án đúng (cần một phương án 100%)"]


def test_single_with_several_full_options_is_accepted():
    item = make_single(options=[Option(text="A", weight=100), Option(text="B", weight=100)])
    assert validate_item(item) == []


def test_multiple_weights_must_add_up_to_100():
    item = MultipleChoice(
        stem="s", options=[Option(text="a", weight=50), Option(text="b", weight=40)]
    )
    assert validate_item(item) == ["tổng trọng số các phương án đúng phải bằng 100% (hiện là 90%)"]


def test_multiple_accepts_thirds_written_by_hand():
    options = [Option(text=t, weight=33.33333) for t in "abc"] + [Option(text="d", weight=-100)]
    assert validate_item(MultipleChoice(stem="s", options=options)) == []


@pytest.mark.parametrize("weight", [150, -101, math.nan, math.inf])
def test_option_weight_out_of_range_is_rejected(weight):
    problems = validate_item(
        make_single(options=[Option(text="A", weight=100), Option(text="B", weight=weight)])
    )
    assert len(problems) == 1 and "phương án thứ 2" in problems[0]


def test_choice_needs_two_distinct_non_empty_options():
    assert validate_item(make_single(options=[Option(text="A", weight=100)])) == [
        "câu hỏi lựa chọn cần ít nhất 2 phương án"
    ]
    problems = validate_item(
        make_single(options=[Option(text="A", weight=100), Option(text="A"), Option(text="")])
    )
    assert problems == ["phương án bị lặp: 'A'", "phương án thứ 3 để trống"]


def test_matching_needs_two_real_pairs():
    item = Matching(stem="s", pairs=[Pair(left="a", right="1"), Pair(left="", right="2")])
    assert validate_item(item) == ["câu ghép đôi cần ít nhất 2 cặp có vế trái"]


def test_matching_left_side_may_not_hold_an_arrow_and_right_side_is_required():
    item = Matching(stem="s", pairs=[Pair(left="a->b", right="1"), Pair(left="c", right="")])
    assert validate_item(item) == [
        "vế trái của cặp ghép thứ 1 không được chứa '->'",
        "cặp ghép thứ 2 thiếu vế phải",
    ]


def test_short_answer_needs_a_full_answer_and_no_negative_weight():
    item = ShortAnswer(stem="s", answers=[TextAnswer(text="x", weight=50)])
    assert validate_item(item) == ["câu hỏi không có đáp án đúng (cần một đáp án 100%)"]
    item = ShortAnswer(stem="s", answers=[TextAnswer(text="x"), TextAnswer(text="y", weight=-10)])
    assert validate_item(item) == ["trọng số của đáp án thứ 2 phải từ 0% đến 100%: -10%"]


def test_numerical_interval_must_be_ordered_and_a_catch_all_is_not_enough():
    item = Numerical(stem="s", answers=[NumericAnswer(min=5, max=1)])
    assert validate_item(item) == [
        "đáp án số thứ 1: cận dưới 5 lớn hơn cận trên 1",
    ]
    item = Numerical(stem="s", answers=[NumericAnswer(min=None, max=None)])
    assert validate_item(item) == ["câu hỏi không có đáp án đúng (cần một đáp án số 100%)"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stem": ""}, "câu hỏi không có nội dung"),
        ({"difficulty": 9}, "độ khó phải là số nguyên từ 1 đến 5: 9"),
        ({"difficulty": True}, "độ khó phải là số nguyên từ 1 đến 5: True"),
        (
            {"format": "rtf"},
            "định dạng văn bản không hợp lệ: 'rtf' (dùng markdown, html, plain, moodle)",
        ),
        ({"title": "a\nb"}, "tiêu đề câu hỏi phải nằm trên một dòng"),
        ({"id": "x]"}, "mã câu hỏi (id) không được chứa xuống dòng hoặc dấu [ ]: 'x]'"),
        ({"tags": ["a,b"]}, "nhãn (tag) không hợp lệ: 'a,b' (không để trống, không chứa , [ ])"),
        ({"stem": "a\x00b"}, "văn bản chứa ký tự điều khiển không hợp lệ U+0000"),
    ],
)
def test_common_fields_are_checked(changes, message):
    assert validate_item(make_single(**changes)) == [message]


def test_description_has_no_explanation():
    assert validate_item(Description(stem="s", explanation="e")) == [
        "phần mô tả (description) không có giải thích"
    ]


def test_normalize_item_cleans_every_text_and_negative_zero():
    item = make_single(
        stem=" a\r\n",
        tags=[" t ", ""],
        options=[Option(text=" A ", weight=100, feedback="f \n"), Option(text="B", weight=-0.0)],
    )
    clean = normalize_item(item)
    assert clean.stem == "a" and clean.tags == ["t"]
    assert clean.options == [
        Option(text="A", weight=100, feedback="f"),
        Option(text="B", weight=0.0),
    ]
    assert math.copysign(1, clean.options[1].weight) == 1


def test_source_line_is_not_part_of_equality():
    assert make_single(line=3) == make_single(line=40)
