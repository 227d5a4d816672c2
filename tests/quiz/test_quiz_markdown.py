"""The Markdown question format: what trainers write and what the bank holds."""

from __future__ import annotations

import textwrap

import pytest

from cchc_learn.quiz.formats.errors import Problem, QuestionFormatError
from cchc_learn.quiz.formats.markdown import parse_markdown
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


def parse(source: str):
    return parse_markdown(textwrap.dedent(source), "ngan-hang.md")


def parse_one(source: str):
    bank = parse(source)
    assert len(bank.items) == 1
    return bank.items[0]


def problems_of(source: str) -> list[str]:
    with pytest.raises(QuestionFormatError) as caught:
        parse(source)
    return [str(p) for p in caught.value.problems]


SPEC_EXAMPLE = """\
    ---
    bank: chi-so-papi
    topic: PAPI
    ---
    ## Bộ tiêu chí PAPI cấp xã ở Bắc Kạn, Phần II, có bao nhiêu chỉ số nội dung?
    {difficulty=2 ref=doc:08-NQ/TU}
    - [ ] 3
    - [x] 8
    - [ ] 25
    > Phần II gồm 08 chỉ số nội dung, 25 nội dung thành phần và 58 chỉ số thành phần.
    """


def test_spec_example_gives_one_single_choice_item():
    bank = parse(SPEC_EXAMPLE)
    assert bank.slug == "chi-so-papi"
    assert bank.items == [
        SingleChoice(
            stem="Bộ tiêu chí PAPI cấp xã ở Bắc Kạn, Phần II, có bao nhiêu chỉ số nội dung?",
            topic="PAPI",
            difficulty=2,
            ref="doc:08-NQ/TU",
            explanation=(
                "Phần II gồm 08 chỉ số nội dung, 25 nội dung thành phần và 58 chỉ số thành phần."
            ),
            options=[Option(text="3"), Option(text="8", weight=100), Option(text="25")],
        )
    ]
    assert bank.items[0].line == 5


def test_stem_continues_over_paragraphs_before_the_options():
    item = parse_one(
        """\
        ## Đọc tình huống sau.
        {id=q1}
        Ông A nộp hồ sơ tại **Bộ phận một cửa**.

        * ý thứ nhất
            mã thụt lề
        - [x] Đúng quy trình
        - [ ] Sai quy trình
        """
    )
    assert isinstance(item, SingleChoice)
    assert item.stem == (
        "Đọc tình huống sau.\nÔng A nộp hồ sơ tại **Bộ phận một cửa**."
        "\n\n* ý thứ nhất\n    mã thụt lề"
    )


def test_several_ticked_options_make_multiple_with_even_weights():
    item = parse_one(
        """\
        ## Chọn các chỉ số do người dân đánh giá
        - [x] PAPI
        - [x] SIPAS
        - [ ] PCI
        - [-50%] ICT-INDEX
        """
    )
    assert item == MultipleChoice(
        stem="Chọn các chỉ số do người dân đánh giá",
        options=[
            Option(text="PAPI", weight=50),
            Option(text="SIPAS", weight=50),
            Option(text="PCI"),
            Option(text="ICT-INDEX", weight=-50),
        ],
    )


def test_three_ticked_options_share_100_percent():
    item = parse_one("## q\n- [x] a\n- [x] b\n- [x] c\n- [ ] d\n")
    assert isinstance(item, MultipleChoice)
    assert sum(o.weight for o in item.options) == pytest.approx(100)


def test_explicit_weights_without_tick_make_multiple_or_single():
    multiple = parse_one("## q\n- [50%] a\n- [50%] b\n- [-100%] c\n")
    assert isinstance(multiple, MultipleChoice)
    assert [o.weight for o in multiple.options] == [50, 50, -100]
    single = parse_one("## q\n- [100%] a\n- [50%] b\n- [ ] c\n")
    assert isinstance(single, SingleChoice)
    assert [o.weight for o in single.options] == [100, 50, 0]


def test_single_with_partial_credit_and_decimal_comma_weight():
    item = parse_one("## q\n- [x] a\n- [33,5%] b\n- [ ] c\n")
    assert isinstance(item, SingleChoice)
    assert [o.weight for o in item.options] == [100, 33.5, 0]


def test_option_feedback_and_multi_line_option_text():
    item = parse_one(
        """\
        ## Chọn câu đúng
        - [ ] Dòng một
          dòng hai

          đoạn mới
          > Chưa đúng.
          >
          > Xem Điều 5.
        - [X] Đáp án — có gạch ngang
          > Chính xác.
        """
    )
    assert item.options == [
        Option(text="Dòng một\ndòng hai\n\nđoạn mới", feedback="Chưa đúng.\n\nXem Điều 5."),
        Option(text="Đáp án — có gạch ngang", weight=100, feedback="Chính xác."),
    ]


def test_type_attribute_turns_ticks_into_several_full_single_options():
    item = parse_one("## q\n{type=single}\n- [x] a\n- [x] b\n- [ ] c\n")
    assert isinstance(item, SingleChoice)
    assert [o.weight for o in item.options] == [100, 100, 0]


def test_short_answer_with_weights_feedback_and_diacritics_flag():
    item = parse_one(
        """\
        ## Nền tảng học trực tuyến mở đại trà quốc gia tên là gì?
        {diacritics=insensitive}
        = Bình dân học vụ số
          > Đúng.
        = Bình dân học vụ (50%)
        = * (0%)
          > Xem Quyết định 2629/QĐ-TTg.
        """
    )
    assert item == ShortAnswer(
        stem="Nền tảng học trực tuyến mở đại trà quốc gia tên là gì?",
        answers=[
            TextAnswer(text="Bình dân học vụ số", feedback="Đúng."),
            TextAnswer(text="Bình dân học vụ", weight=50),
            TextAnswer(text="*", weight=0, feedback="Xem Quyết định 2629/QĐ-TTg."),
        ],
        diacritics_insensitive=True,
    )


def test_short_answer_may_continue_on_indented_lines():
    item = parse_one("## Hai dòng?\n= dòng một  \n  dòng hai\n  > phản hồi\n")
    assert item.answers == [TextAnswer(text="dòng một  \ndòng hai", feedback="phản hồi")]


def test_a_non_numeric_answer_among_numbers_makes_short_answer():
    item = parse_one("## Số hiệu?\n= 163\n= 163/QĐ-TTg\n")
    assert isinstance(item, ShortAnswer)
    assert [a.text for a in item.answers] == ["163", "163/QĐ-TTg"]


@pytest.mark.parametrize(
    ("line", "low", "high"),
    [
        ("= 360 ± 0", 360, 360),
        ("= 360", 360, 360),
        ("= 3.14 ± 0.01", 3.13, 3.15),
        ("= 3,14 ± 0,01", 3.13, 3.15),
        ("= 3.14:0.01", 3.13, 3.15),
        ("= 360 +- 5", 355, 365),
        ("= 360 +/- 5", 355, 365),
        ("= 1..5", 1, 5),
        ("= -5 .. -1", -5, -1),
        ("= 1e3", 1000, 1000),
    ],
)
def test_numerical_answer_forms(line, low, high):
    item = parse_one(f"## Bao nhiêu?\n{line}\n")
    assert item == Numerical(stem="Bao nhiêu?", answers=[NumericAnswer(min=low, max=high)])


def test_numerical_with_several_weighted_answers_and_catch_all():
    item = parse_one("## Năm?\n= 1822\n= 1822 ± 2 (50%)\n  > Gần đúng.\n= * (0%)\n  > Sai.\n")
    assert item.answers == [
        NumericAnswer(min=1822, max=1822),
        NumericAnswer(min=1820, max=1824, weight=50, feedback="Gần đúng."),
        NumericAnswer(min=None, max=None, weight=0, feedback="Sai."),
    ]


def test_type_attribute_keeps_a_number_as_short_answer():
    item = parse_one("## Mã?\n{type=short_answer}\n= 42\n")
    assert item == ShortAnswer(stem="Mã?", answers=[TextAnswer(text="42")])


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("= Đúng", True),
        ("= Sai", False),
        ("= đúng", True),
        ("= SAI", False),
        ("= true", True),
        ("= False", False),
    ],
)
def test_true_false_from_one_answer_line(line, answer):
    assert parse_one(f"## Mệnh đề.\n{line}\n") == TrueFalse(stem="Mệnh đề.", answer=answer)


def test_true_false_as_two_options_carries_feedback_for_each_choice():
    item = parse_one(
        """\
        ## Thang điểm là 100 điểm.
        - [ ] Đúng
          > Chưa đúng: thang điểm là 1.000.
        - [x] Sai
          > Chính xác.
        """
    )
    assert item == TrueFalse(
        stem="Thang điểm là 100 điểm.",
        answer=False,
        feedback_true="Chưa đúng: thang điểm là 1.000.",
        feedback_false="Chính xác.",
    )


def test_matching_with_distractor_and_arrows_on_the_right():
    item = parse_one(
        """\
        ## Ghép cơ quan với nơi đặt bộ phận một cửa
        - Cấp xã -> Ủy ban nhân dân cấp xã
        - Cấp tỉnh->Văn phòng -> UBND tỉnh
        - -> Sở Nội vụ
        - \\[x] lạ -> phải
        """
    )
    assert item == Matching(
        stem="Ghép cơ quan với nơi đặt bộ phận một cửa",
        pairs=[
            Pair(left="Cấp xã", right="Ủy ban nhân dân cấp xã"),
            Pair(left="Cấp tỉnh", right="Văn phòng -> UBND tỉnh"),
            Pair(left="", right="Sở Nội vụ"),
            Pair(left="[x] lạ", right="phải"),
        ],
    )


def test_essay_and_description_carry_only_the_stem():
    bank = parse(
        """\
        ## Phần II: tình huống
        {type=description}
        Đọc kỹ trước khi trả lời.

        ## Nêu ba giải pháp nâng cao chỉ số SIPAS.
        {type=essay}
        > Gợi ý chấm: mỗi giải pháp 1 điểm.
        """
    )
    assert bank.items == [
        Description(stem="Phần II: tình huống\nĐọc kỹ trước khi trả lời."),
        Essay(
            stem="Nêu ba giải pháp nâng cao chỉ số SIPAS.",
            explanation="Gợi ý chấm: mỗi giải pháp 1 điểm.",
        ),
    ]


def test_front_matter_defaults_and_item_attributes():
    bank = parse(
        """\
        ---
        bank: mot-cua
        title: Một cửa
        description: Ngân hàng thử
        topic: Một cửa
        difficulty: 2
        tags: [tthc, "mot cua"]
        ---
        # Ngân hàng câu hỏi (dòng giới thiệu được bỏ qua)

        ## Câu một
        = Đúng

        ## Câu hai
        {topic="Chính quyền số" difficulty=5 tags=a,b id=q-2 title="Câu \\"hai\\"" format=html}
        = Sai
        """
    )
    first, second = bank.items
    assert (bank.slug, bank.title, bank.description) == ("mot-cua", "Một cửa", "Ngân hàng thử")
    assert (first.topic, first.difficulty, first.tags, first.format) == (
        "Một cửa",
        2,
        ["tthc", "mot cua"],
        "markdown",
    )
    assert (
        second.topic,
        second.difficulty,
        second.tags,
        second.id,
        second.title,
        second.format,
    ) == (
        "Chính quyền số",
        5,
        ["a", "b"],
        "q-2",
        'Câu "hai"',
        "html",
    )


def test_line_escapes_keep_structural_characters_in_the_stem():
    item = parse_one(
        """\
        ## Dòng đầu
        \\- [x] không phải phương án
        \\## không phải câu mới
        \\= không phải đáp án
        \\> không phải giải thích
        \\{không phải thuộc tính}
        \\\\ một dấu gạch chéo
        = Đúng
        """
    )
    assert item.stem == (
        "Dòng đầu\n- [x] không phải phương án\n## không phải câu mới\n= không phải đáp án\n"
        "> không phải giải thích\n{không phải thuộc tính}\n\\ một dấu gạch chéo"
    )


def test_bom_crlf_and_unicode_line_separators():
    text = "\ufeff## Câu\u2028vẫn một dòng\r\n- [x] a\r\n- [ ] b\r\n"
    item = parse_markdown(text, "x.md").items[0]
    assert item.stem == "Câu\u2028vẫn một dòng"
    assert item.options[0].weight == 100


def test_decomposed_vietnamese_is_stored_as_nfc():
    item = parse_one("## Thu\u0309 tu\u0323c\n= Đu\u0301ng\n")
    assert item == TrueFalse(stem="Thủ tục", answer=True)


def test_empty_file_and_front_matter_only_give_no_items():
    assert parse("").items == []
    assert parse("---\nbank: x\n---\n").items == []


def test_errors_are_all_collected_with_lines():
    assert problems_of(
        """\
        ---
        bank: x
        ---
        ## Không có đáp án đúng
        - [ ] a
        - [ ] b

        ## Thuộc tính lạ
        {mau=do difficulty=9}
        = a

        ### Sai tiêu đề
        - [x] a
        - [ ] a
        """
    ) == [
        "ngan-hang.md:4: câu hỏi không có đáp án đúng",
        "ngan-hang.md:9: thuộc tính không hợp lệ: 'mau' (dùng type, title, id, tags, topic, "
        "difficulty, ref, format, diacritics)",
        "ngan-hang.md:9: độ khó phải là số nguyên từ 1 đến 5: '9'",
        "ngan-hang.md:12: câu hỏi mở bằng đúng hai dấu # và một dấu cách ('## '); "
        "nếu dòng này là nội dung, thêm \\ ở đầu dòng",
    ]


def test_error_renders_as_file_line_message():
    with pytest.raises(QuestionFormatError) as caught:
        parse("## q\n- [ ] a\n- [ ] b\n")
    assert caught.value.problems == [Problem("ngan-hang.md", 1, "câu hỏi không có đáp án đúng")]
    assert str(caught.value) == "ngan-hang.md:1: câu hỏi không có đáp án đúng"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("## q\n", "1: câu hỏi không có phương án hay đáp án (hoặc ghi {type=essay})"),
        (
            "## q\n- [x] a\n= b\n",
            "1: không trộn phương án '- [ ]', đáp án '= …' và cặp ghép trong một câu",
        ),
        ("## q\n- a\n", "2: dòng '- …' không hợp lệ"),
        ("## q\n= a\nthêm chữ\n", "3: dòng không thuộc phương án hay đáp án nào"),
        ("## q\n> e\n  thụt lề\n= a\n", "3: dòng thụt lề không nằm dưới phương án hay đáp án nào"),
        (
            "## q\n- [x] a\n  > f\n  chữ\n- [ ] b\n",
            "4: văn bản của phương án phải đứng trước phản hồi",
        ),
        ("## q\n{id=a}\n{id=b}\n= x\n", "3: mỗi câu hỏi chỉ có một dòng thuộc tính {…}"),
        ("## q\n{id=a\n= x\n", "2: dòng thuộc tính phải kết thúc bằng dấu }"),
        ("## q\n{id=a b}\n= x\n", "2: thuộc tính viết sai: 'b'"),
        ("## q\n{type=quiz}\n= x\n", "2: loại câu hỏi không hợp lệ: 'quiz'"),
        (
            "## q\n{diacritics=insensitive}\n- [x] a\n- [ ] b\n",
            "1: diacritics chỉ dùng cho câu trả lời ngắn",
        ),
        ("## q\n{type=numerical}\n= abc\n", "3: đáp án số không hợp lệ: 'abc'"),
        ("## q\n{type=essay}\n= abc\n", "3: câu hỏi loại essay không có phương án hay đáp án"),
        ("## q\n{type=true_false}\n= có\n", "3: câu Đúng/Sai ghi '= Đúng' hoặc '= Sai'"),
        ("## q\n= Đúng\n  > f\n", "2: phản hồi của câu Đúng/Sai viết dưới phương án"),
        ("## q\n{type=numerical}\n= 5\n  tiếp\n", "3: đáp án này phải nằm trên một dòng"),
        ("## q\n- a -> 1\n  > f\n- b -> 2\n", "2: đáp án này không có phản hồi"),
        ("## q\n- [x] a\n- [x] b\n- [50%] c\n", "1: câu nhiều đáp án: hoặc đánh [x]"),
        ("## q\n- a -> 1\n", "1: câu ghép đôi cần ít nhất 2 cặp có vế trái"),
        ("## q\n= 5..1\n", "1: đáp án số thứ 1: cận dưới 5 lớn hơn cận trên 1"),
        ("- [x] lạc\n## q\n= a\n", "1: dòng nằm ngoài mọi câu hỏi"),
        ("##\n= a\n", "1: câu hỏi không có nội dung"),
        ("## q\n= a\x07\n", "2: dòng chứa ký tự điều khiển không hợp lệ U+0007"),
    ],
)
def test_each_mistake_is_reported_where_it_is(source, message):
    found = problems_of(source)
    assert any(p.startswith(f"ngan-hang.md:{message}") for p in found), found


def test_duplicate_ids_are_reported_with_the_first_line():
    found = problems_of("## a\n{id=x}\n= 1\n\n## b\n{id=x}\n= 2\n")
    assert found == ["ngan-hang.md:5: mã câu hỏi bị trùng: 'x' (đã dùng ở dòng 1)"]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("---\nbank: x\n", "1: front matter chưa đóng: thiếu dòng --- kết thúc"),
        ("---\nbank: [x\n---\n", "front matter YAML không hợp lệ"),
        ("---\n- a\n---\n", "1: front matter phải là các cặp khoá: giá trị"),
        ("---\nbank: Ngân Hàng\n---\n", "1: mã ngân hàng (bank) chỉ gồm chữ thường"),
        ("---\nquiz: x\n---\n", "1: khoá không hợp lệ trong front matter: 'quiz'"),
        (
            "---\ndifficulty: [1]\n---\n",
            "1: front matter: giá trị của difficulty phải là một chuỗi",
        ),
        ("---\ntitle: &a x\ndescription: *a\n---\n", "không dùng bí danh (alias) YAML"),
        ("---\ntitle: !!python/object:os.system x\n---\n", "front matter YAML không hợp lệ"),
        ("---\ntitle: " + "x" * 20000 + "\n---\n", "1: front matter quá dài"),
    ],
)
def test_front_matter_problems(front, message):
    found = problems_of(front + "## q\n= a\n")
    assert any(message in p for p in found), found


def test_billion_laughs_front_matter_is_refused_quickly():
    laughs = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    found = problems_of(laughs + "---\n## q\n= a\n")
    assert any("bí danh" in p for p in found)


def test_huge_file_is_refused_without_parsing():
    found = problems_of("## q\n= a\n" + "x" * 5_000_001)
    assert found == ["ngan-hang.md: tệp quá lớn (tối đa 5.000.000 ký tự)"]


def test_many_hostile_lines_parse_in_reasonable_time():
    source = "## q\n" + "[" * 100_000 + "\n" + "- [x] a\n- [ ] b\n" * 1 + "- [x" * 20_000 + "\n"
    found = problems_of(source)
    assert found[0].startswith("ngan-hang.md:5: dòng '- …' không hợp lệ")
