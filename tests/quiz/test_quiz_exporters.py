"""The exact text the exporters write, as trainers and Moodle will read it."""

from __future__ import annotations

from cchc_learn.quiz.formats import to_gift, to_markdown
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

SINGLE = SingleChoice(
    stem="Chỉ số SIPAS đo gì?",
    id="s1",
    topic="SIPAS",
    difficulty=2,
    ref="doc:08-NQ/TU",
    tags=["chỉ số", "sipas"],
    explanation="Xem Nghị quyết.",
    options=[
        Option(text="Sự hài lòng", weight=100, feedback="Đúng"),
        Option(text="Năng lực cạnh tranh"),
        Option(text="Một phần", weight=50),
    ],
)
MULTIPLE = MultipleChoice(
    stem="Chọn hai",
    options=[
        Option(text="a", weight=50),
        Option(text="b", weight=50),
        Option(text="c", weight=-100),
        Option(text="d"),
    ],
)
TRUE_FALSE = TrueFalse(stem="Đúng không?", answer=True, feedback_true="Giỏi", feedback_false="Chưa")
SHORT = ShortAnswer(
    stem="Thủ đô?",
    diacritics_insensitive=True,
    answers=[TextAnswer(text="Hà Nội"), TextAnswer(text="42", weight=50, feedback="lạ")],
)
NUMERICAL = Numerical(
    stem="Pi?",
    answers=[
        NumericAnswer(min=3.13, max=3.15),
        NumericAnswer(min=1, max=5, weight=50),
        NumericAnswer(min=None, max=None, weight=0, feedback="Sai"),
    ],
)
MATCHING = Matching(
    stem="Ghép",
    pairs=[
        Pair(left="PCI", right="Năng lực -> cạnh tranh"),
        Pair(left="[x]", right="b"),
        Pair(left="", right="c"),
    ],
)


def test_markdown_export_reads_like_the_guide():
    text = to_markdown(
        [
            SINGLE,
            MULTIPLE,
            TRUE_FALSE,
            SHORT,
            NUMERICAL,
            MATCHING,
            Essay(stem="Viết"),
            Description(stem="Đọc"),
        ],
        bank="mau",
        title="Mẫu",
    )
    assert text == (
        "---\nbank: mau\ntitle: Mẫu\n---\n\n"
        "## Chỉ số SIPAS đo gì?\n"
        '{id=s1 topic=SIPAS ref=doc:08-NQ/TU difficulty=2 tags="chỉ số,sipas"}\n'
        "- [x] Sự hài lòng\n  > Đúng\n- [ ] Năng lực cạnh tranh\n- [50%] Một phần\n"
        "> Xem Nghị quyết.\n\n"
        "## Chọn hai\n- [x] a\n- [x] b\n- [-100%] c\n- [ ] d\n\n"
        "## Đúng không?\n- [x] Đúng\n  > Giỏi\n- [ ] Sai\n  > Chưa\n\n"
        "## Thủ đô?\n{diacritics=insensitive}\n= Hà Nội\n= 42 (50%)\n  > lạ\n\n"
        "## Pi?\n= 3.14 ± 0.01\n= 3 ± 2 (50%)\n= * (0%)\n  > Sai\n\n"
        "## Ghép\n- PCI -> Năng lực -> cạnh tranh\n- \\[x] -> b\n- -> c\n\n"
        "## Viết\n{type=essay}\n\n"
        "## Đọc\n{type=description}\n"
    )


def test_gift_export_uses_moodle_conventions():
    text = to_gift(
        [SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERICAL, MATCHING, Essay(stem="Viết: {ý}")]
    )
    assert text == (
        "$CATEGORY: $course$/top/SIPAS\n\n"
        "// [id:s1] [tag:chỉ số] [tag:sipas]\n"
        "// [difficulty:2] [ref:doc:08-NQ/TU]\n"
        "[markdown]Chỉ số SIPAS đo gì?{\n"
        "\t= Sự hài lòng #Đúng\n\t~ Năng lực cạnh tranh\n\t~%50% Một phần\n"
        "\t####Xem Nghị quyết.\n}\n\n"
        "$CATEGORY: $course$/top\n\n"
        "[markdown]Chọn hai{\n\t~%50% a\n\t~%50% b\n\t~%-100% c\n\t~ d\n}\n\n"
        "[markdown]Đúng không?{TRUE#Chưa#Giỏi}\n\n"
        "// [diacritics:insensitive]\n"
        "[markdown]Thủ đô?{\n\t=%100% Hà Nội\n\t=%50% 42 #lạ\n}\n\n"
        "[markdown]Pi?{#\n\t=%100% 3.14:0.01\n\t=%50% 3:2\n\t~#Sai\n}\n\n"
        "[markdown]Ghép{\n\t= PCI -> Năng lực -> cạnh tranh\n\t= [x] -> b\n\t= -> c\n}\n\n"
        "[markdown]Viết\\: \\{ý\\}{}\n"
    )
