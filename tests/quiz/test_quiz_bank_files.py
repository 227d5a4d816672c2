"""The question JSON shape, its errors, and reading and writing bank files by format."""

from __future__ import annotations

import json

import pytest

from cchc_learn.quiz.formats import (
    QuestionFormatError,
    dumps_items,
    export_bank,
    format_for_path,
    items_from_json,
    items_to_json,
    loads_items,
    parse_bank,
    read_bank,
)
from cchc_learn.quiz.questions import (
    Essay,
    Matching,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)

BANK_MD = """\
---
bank: mau
title: Ngân hàng mẫu
---
## Chỉ số SIPAS đo lường điều gì?
{id=s1 topic=SIPAS difficulty=1 tags=a,b}
- [ ] PCI
  > Không phải.
- [x] Sự hài lòng
> Giải thích.

## Số chỉ số thành phần?
= 3.14 ± 0.01
"""


def test_json_shape_matches_the_spec():
    items = [
        SingleChoice(
            stem="Câu?",
            id="s1",
            options=[Option(text="A", weight=100, feedback="Đúng"), Option(text="B", weight=-25)],
        ),
        TrueFalse(stem="Đ/S", answer=False, feedback_true="x"),
        ShortAnswer(stem="Ngắn", answers=[TextAnswer(text="Hà Nội")], diacritics_insensitive=True),
        Numerical(stem="Số", answers=[NumericAnswer(min=3.13, max=3.15, feedback="gần")]),
        Matching(
            stem="Ghép",
            pairs=[Pair(left="a", right="1"), Pair(left="b", right="2"), Pair(left="", right="3")],
        ),
        Essay(stem="Viết"),
    ]
    data = items_to_json(items)
    assert data[0] == {
        "type": "single",
        "title": "",
        "stem": "Câu?",
        "id": "s1",
        "tags": [],
        "topic": "",
        "difficulty": None,
        "explanation": "",
        "ref": "",
        "format": "markdown",
        "auto_graded": True,
        "options": [
            {"text": "A", "weight": 100, "feedback": "Đúng"},
            {"text": "B", "weight": -25, "feedback": ""},
        ],
    }
    assert (data[1]["answer"], data[1]["feedback_true"], data[1]["feedback_false"]) == (
        False,
        "x",
        "",
    )
    assert data[2]["answers"] == [{"text": "Hà Nội", "weight": 100.0, "feedback": ""}]
    assert data[2]["diacritics_insensitive"] is True
    assert data[3]["answers"] == [{"min": 3.13, "max": 3.15, "weight": 100.0, "feedback": "gần"}]
    assert data[4]["pairs"][2] == {"left": "", "right": "3"}
    assert data[5]["auto_graded"] is False and "options" not in data[5]
    assert items_from_json(json.loads(json.dumps(data))) == items


def test_json_texts_are_stored_as_nfc():
    (item,) = items_from_json([{"type": "essay", "stem": " Thu\u0309 tu\u0323c "}])
    assert item.stem == "Thủ tục"


def test_json_errors_are_all_reported_by_item_number():
    with pytest.raises(QuestionFormatError) as caught:
        items_from_json(
            [
                {"type": "single", "stem": "a", "options": [{"text": "x", "weight": "50"}]},
                {"type": "quiz"},
                "câu",
                {"type": "true_false", "stem": "s"},
                {"type": "essay", "stem": "s", "colour": "đỏ", "tags": "a"},
                {"type": "numerical", "stem": "s", "answers": [{"min": 1, "max": 0}]},
                {"type": "essay", "stem": "", "difficulty": 2.5},
            ],
            "bank.json",
        )
    assert [str(p) for p in caught.value.problems] == [
        "bank.json: câu 1: trường 'options[1].weight' phải là số",
        "bank.json: câu 2: loại câu hỏi không hợp lệ: 'quiz'",
        "bank.json: câu 3: mỗi câu hỏi phải là một đối tượng JSON",
        "bank.json: câu 4: câu Đúng/Sai thiếu trường 'answer' (true hoặc false)",
        "bank.json: câu 5: trường 'tags' phải là danh sách chuỗi",
        "bank.json: câu 5: trường không hợp lệ: 'colour'",
        "bank.json: câu 6: đáp án số thứ 1: cận dưới 1 lớn hơn cận trên 0",
        "bank.json: câu 7: trường 'difficulty' phải là số nguyên hoặc null",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "bank.json:1: JSON không hợp lệ"),
        ('{"type": "essay"}', "bank.json: JSON phải là một danh sách câu hỏi"),
        ("[" * 100_000 + "]" * 100_000, "bank.json: JSON không hợp lệ"),
        (
            '[{"type": "single", "stem": "s", "options": [{"text": "a", "weight": NaN}]}]',
            "phải là số",
        ),
    ],
)
def test_malformed_json_text(text, message):
    with pytest.raises(QuestionFormatError) as caught:
        loads_items(text, "bank.json")
    assert message in str(caught.value)


def test_dumps_keeps_vietnamese_readable():
    text = dumps_items([Essay(stem="Cải cách")])
    assert "Cải cách" in text and text.endswith("\n")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.md", "md"),
        ("a.MD", "md"),
        ("a.gift", "gift"),
        ("a.gift.txt", "gift"),
        ("a.json", "json"),
        ("a.doc", None),
    ],
)
def test_format_for_path(name, fmt):
    assert format_for_path(name) == fmt


def test_read_bank_by_suffix_with_bom_and_every_export_reads_back(tmp_path):
    source = tmp_path / "mau.md"
    source.write_bytes(b"\xef\xbb\xbf" + BANK_MD.replace("\n", "\r\n").encode())
    bank = read_bank(source)
    assert (bank.slug, bank.title, len(bank.items)) == ("mau", "Ngân hàng mẫu", 2)
    for fmt in ("md", "gift", "json"):
        text = export_bank(bank.items, fmt, bank=bank.slug, title=bank.title)
        path = tmp_path / f"out.{fmt}"
        path.write_text(text, encoding="utf-8")
        assert read_bank(path).items == bank.items
    assert parse_bank(export_bank(bank.items, "md", bank="mau"), "md").slug == "mau"


def test_read_bank_refuses_unknown_suffix_and_bad_bytes(tmp_path):
    odd = tmp_path / "bank.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(QuestionFormatError) as caught:
        read_bank(odd)
    assert "không nhận ra định dạng tệp" in str(caught.value)
    broken = tmp_path / "bank.gift"
    broken.write_bytes(b"Q{T}\n\n\xc3(")
    with pytest.raises(QuestionFormatError) as caught:
        read_bank(broken)
    assert str(caught.value) == f"{broken}:3: tệp không phải văn bản UTF-8 hợp lệ"


def test_unknown_format_name_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown bank format"):
        export_bank([], "xml")
    with pytest.raises(ValueError, match="unknown bank format"):
        parse_bank("", "xml")
