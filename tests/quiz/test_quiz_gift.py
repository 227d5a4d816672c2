"""Reading GIFT: every construct a Moodle export may hold, and every mistake reported by line."""

from __future__ import annotations

import time

import pytest

from cchc_learn.quiz.formats.errors import QuestionFormatError
from cchc_learn.quiz.formats.gift import parse_gift
from cchc_learn.quiz.formats.source import decode_bank
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
)


def items(source: str):
    return parse_gift(source, "bank.gift").items


def one(source: str):
    (item,) = items(source)
    return item


def problems_of(source: str) -> list[str]:
    with pytest.raises(QuestionFormatError) as caught:
        parse_gift(source, "bank.gift")
    return [str(p) for p in caught.value.problems]


def test_every_escape_is_resolved():
    item = one(r"::a\:b:: 1 \~ 2 \= 3 \# 4 \{ 5 \} 6 \\ 7\n8 \x {=ok \# yes # fb \{x\} ~no}")
    assert item.title == "a:b"
    assert item.stem == "1 ~ 2 = 3 # 4 { 5 } 6 \\ 7\n8 \\x"
    assert item.options == [
        Option(text="ok # yes", weight=100, feedback="fb {x}"),
        Option(text="no"),
    ]


def test_escaped_backslash_before_a_control_character_leaves_it_active():
    item = one("a \\\\{=x ~y}")
    assert item.stem == "a \\"
    assert [o.text for o in item.options] == ["x", "y"]


def test_missing_word_question_keeps_a_blank_in_the_stem():
    item = one("Hà Nội là {=thủ đô ~thành phố cảng} của Việt Nam.")
    assert item.stem == "Hà Nội là _____ của Việt Nam."


def test_multi_line_block_with_weights_feedback_and_general_feedback():
    item = one(
        "::Chỉ số::Những chỉ số nào do người dân đánh giá?{\n"
        "  ~%50%PAPI # đúng\n"
        "  ~%50%SIPAS\n"
        "  ~%-100%PCI # sai: doanh nghiệp\n"
        "     đánh giá\n"
        "  ####Xem Nghị quyết 76/NQ-CP.\n"
        "}"
    )
    assert item == MultipleChoice(
        stem="Những chỉ số nào do người dân đánh giá?",
        title="Chỉ số",
        format="moodle",
        explanation="Xem Nghị quyết 76/NQ-CP.",
        options=[
            Option(text="PAPI", weight=50, feedback="đúng"),
            Option(text="SIPAS", weight=50),
            Option(text="PCI", weight=-100, feedback="sai: doanh nghiệp\n     đánh giá"),
        ],
    )


def test_single_choice_with_partial_credit_and_format_tags():
    item = one("[markdown]Chọn **một**{=[html]<b>A</b> ~%50%[plain]B # [moodle]gần đúng ~C}")
    assert item == SingleChoice(
        stem="Chọn **một**",
        format="markdown",
        options=[
            Option(text="<b>A</b>", weight=100),
            Option(text="B", weight=50, feedback="gần đúng"),
            Option(text="C"),
        ],
    )


@pytest.mark.parametrize(
    ("block", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)]
)
def test_true_false_spellings(block, answer):
    assert one(f"Mệnh đề.{block}") == TrueFalse(stem="Mệnh đề.", format="moodle", answer=answer)


def test_true_false_feedback_follows_moodle_wrong_then_right():
    item = one("Đúng?{TRUE#bạn chọn Sai#bạn chọn Đúng####giải thích}")
    assert (item.feedback_false, item.feedback_true, item.explanation) == (
        "bạn chọn Sai",
        "bạn chọn Đúng",
        "giải thích",
    )


def test_lowercase_true_is_a_short_answer_as_in_moodle():
    assert one("Từ tiếng Anh?{true}") == ShortAnswer(
        stem="Từ tiếng Anh?", format="moodle", answers=[TextAnswer(text="true")]
    )


def test_short_answer_with_weights_and_wildcard():
    item = one("Thủ đô?{=Hà Nội =%50%Ha Noi#không dấu =%0%*#sai}")
    assert item.answers == [
        TextAnswer(text="Hà Nội"),
        TextAnswer(text="Ha Noi", weight=50, feedback="không dấu"),
        TextAnswer(text="*", weight=0, feedback="sai"),
    ]


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{#1822}", [NumericAnswer(min=1822, max=1822)]),
        ("{#1822:5}", [NumericAnswer(min=1817, max=1827)]),
        ("{#3.1415:0.0005}", [NumericAnswer(min=3.141, max=3.142)]),
        ("{#-5..5}", [NumericAnswer(min=-5, max=5)]),
        ("{#3,14:0,01}", [NumericAnswer(min=3.13, max=3.15)]),
        (
            "{#=1822:0#đúng =%50%1822:2#gần ~#sai}",
            [
                NumericAnswer(min=1822, max=1822, feedback="đúng"),
                NumericAnswer(min=1820, max=1824, weight=50, feedback="gần"),
                NumericAnswer(min=None, max=None, weight=0, feedback="sai"),
            ],
        ),
    ],
)
def test_numerical_forms(block, answers):
    assert one(f"Số?{block}") == Numerical(stem="Số?", format="moodle", answers=answers)


def test_matching_with_distractor_and_arrow_in_right_side():
    item = one("Ghép{=A -> 1 =B -> 2->3 = -> 4}")
    assert item == Matching(
        stem="Ghép",
        format="moodle",
        pairs=[Pair(left="A", right="1"), Pair(left="B", right="2->3"), Pair(left="", right="4")],
    )


def test_weighted_answers_with_arrows_are_short_answers_not_pairs():
    item = one("Mũi tên?{=%100%a->b =%50%c->d}")
    assert isinstance(item, ShortAnswer)
    assert [a.text for a in item.answers] == ["a->b", "c->d"]


def test_essay_description_and_blank_lines_between_questions():
    assert items("::E:: Viết {}\n\n\n::D:: Chỉ đọc\n\n// ghi chú\nViết tiếp{####gợi ý}") == [
        Essay(stem="Viết", title="E", format="moodle", line=1),
        Description(stem="Chỉ đọc", title="D", format="moodle"),
        Essay(stem="Viết tiếp", format="moodle", explanation="gợi ý"),
    ]


def test_metadata_comments_and_category_set_item_fields():
    bank = items(
        "$CATEGORY: $course$/top/Một cửa\n\n"
        "// [id:mc-1] [tag:tthc] [tag:một cửa]\n"
        "// [difficulty:3] [ref:doc:61/2018/NĐ-CP] [diacritics:insensitive]\n"
        "Nơi nộp hồ sơ?{=Bộ phận một cửa}\n\n"
        "// [id:mc-2]\n\n"
        "Câu sau?{T}\n\n"
        "$CATEGORY: PAPI\n"
        "Câu ba?{F}"
    )
    first, second, third = bank
    assert (first.id, first.tags, first.difficulty, first.ref, first.topic) == (
        "mc-1",
        ["tthc", "một cửa"],
        3,
        "doc:61/2018/NĐ-CP",
        "Một cửa",
    )
    assert first.diacritics_insensitive is True
    assert (second.id, second.topic, second.tags) == ("mc-2", "Một cửa", [])
    assert (third.id, third.topic) == ("", "PAPI")


def test_bom_crlf_and_line_numbers():
    bank = items("\ufeff// đầu\r\nCâu một{T}\r\n\r\n\r\nCâu hai{F}\r\n")
    assert [(item.stem, item.line) for item in bank] == [("Câu một", 2), ("Câu hai", 5)]


def test_decode_bank_reports_invalid_utf8_with_line():
    with pytest.raises(QuestionFormatError) as caught:
        decode_bank("Câu{T}\n\nSai".encode() + b"\xff", "bank.gift")
    assert str(caught.value) == "bank.gift:3: tệp không phải văn bản UTF-8 hợp lệ"
    assert decode_bank("\ufeffCâu{T}".encode(), "x") == "Câu{T}"


def test_all_errors_of_a_file_are_reported_together():
    assert problems_of(
        "Câu một {=a ~b\n\n"
        "Câu hai } lạc\n\n"
        "::Tên chưa đóng Câu ba{T}\n\n"
        "Câu bốn{~a ~b}\n"
        "Câu năm{T}\n\n"
        "Câu sáu{~%abc%a =b}\n\n"
        "Câu bảy{#một}\n\n"
        "Câu tám{=a -> 1 =b}\n\n"
        "Câu chín{~a ~b}"
    ) == [
        "bank.gift:1: thiếu dấu } đóng khối đáp án",
        "bank.gift:3: dấu } không có dấu { mở tương ứng (viết \\} nếu là chữ)",
        "bank.gift:5: thiếu dấu :: đóng tên câu hỏi",
        "bank.gift:8: mỗi câu hỏi chỉ có một khối đáp án {…}: các câu hỏi phải cách nhau một "
        "dòng trống, dấu { } trong chữ viết \\{ \\}",
        "bank.gift:10: trọng số không hợp lệ: %abc% (ví dụ %50%, %-25%)",
        "bank.gift:12: đáp án số không hợp lệ: 'một' (ví dụ 1822, 3.14:0.01 hoặc 1..5)",
        "bank.gift:14: cặp ghép thiếu dấu -> giữa vế trái và vế phải",
        "bank.gift:16: câu hỏi không có đáp án đúng",
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "Câu{T}\n\nCâu{~a =b}\n// [difficulty:7]\n",
            "4: độ khó phải là số nguyên từ 1 đến 5: '7'",
        ),
        ("// [diacritics:insensitive]\nCâu{T}", "2: diacritics chỉ dùng cho câu trả lời ngắn"),
        ("// [id:a]\nA{T}\n\n// [id:a]\nB{F}", "5: mã câu hỏi bị trùng: 'a' (đã dùng ở dòng 2)"),
        ("Câu{=a ~a}", "1: phương án bị lặp: 'a'"),
        ("Câu{=a}\x0b", "1: dòng chứa ký tự điều khiển không hợp lệ U+000B"),
        ("Câu{#~#chỉ có phản hồi}", "1: câu hỏi không có đáp án đúng (cần một đáp án số 100%)"),
        ("Ghép{=a -> 1 = -> 2}", "1: câu ghép đôi cần ít nhất 2 cặp có vế trái"),
    ],
)
def test_single_mistakes(source, message):
    found = problems_of(source)
    assert any(p.startswith(f"bank.gift:{message}") for p in found), found


def test_category_only_and_comment_only_files_have_no_items():
    assert items("$CATEGORY: $course$/top/x\n") == []
    assert items("// chỉ có ghi chú\n\n   \n") == []
    assert items("") == []


HOSTILE = {
    "open braces": "{" * 200_000,
    "backslashes": "\\" * 200_001 + "{}",
    "many options": "a{" + "~x" * 100_000 + "}",
    "colons": "::" * 100_000,
    "close braces": "}" * 10_000,
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_fails_or_parses_quickly(source):
    started = time.perf_counter()
    try:
        parse_gift(source, "bank.gift")
    except QuestionFormatError as error:
        assert error.problems
    assert time.perf_counter() - started < 5
