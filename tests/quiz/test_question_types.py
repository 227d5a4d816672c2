"""The registry of question types: each type is complete, and a new one needs no other edits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from cchc_learn.quiz.formats import dumps_items, loads_items, parse_markdown, to_markdown
from cchc_learn.quiz.questions import (
    AUTO_GRADED_TYPES,
    MANUAL_TYPES,
    TYPES,
    Item,
    QuestionType,
    grade,
    validate_item,
)
from cchc_learn.quiz.questions.registry import drawn_types


def test_each_type_is_registered_under_the_name_its_items_carry():
    assert list(TYPES) == [
        "single",
        "multiple",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "essay",
        "description",
    ]
    for name, kind in TYPES.items():
        assert kind.name == name == kind.item_class.type


def test_who_grades_a_type_decides_what_quizzes_draw():
    assert AUTO_GRADED_TYPES == (
        "single",
        "multiple",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
    )
    assert MANUAL_TYPES == ("essay",)
    assert drawn_types(essays=False) == AUTO_GRADED_TYPES
    assert drawn_types(essays=True) == (*AUTO_GRADED_TYPES, "essay")


def test_every_type_has_a_template_with_its_three_macros(app):
    for kind in TYPES.values():
        module = app.jinja_env.get_template(kind.template).module
        for macro in ("answer", "review", "key"):
            assert callable(getattr(module, macro, None)), (kind.template, macro)


@dataclass(kw_only=True)
class Pledge(Item):
    """A statement to acknowledge: nothing to grade."""

    type: ClassVar[str] = "pledge"
    auto_graded: ClassVar[bool] = False


class PledgeType(QuestionType):
    name = "pledge"
    item_class = Pledge

    def check(self, item: Pledge, problems: list[str]) -> None:
        if len(item.stem) > 50:
            problems.append("cam kết tối đa 50 ký tự")


@pytest.fixture
def pledge(monkeypatch):
    monkeypatch.setitem(TYPES, "pledge", PledgeType())


def test_a_registered_type_is_read_checked_and_written_by_every_format(pledge):
    [item] = parse_markdown("## Tôi đã đọc nội quy.\n{type=pledge id=cam-ket}\n").items
    assert item == Pledge(stem="Tôi đã đọc nội quy.", id="cam-ket")
    assert validate_item(Pledge(stem="x" * 51)) == ["cam kết tối đa 50 ký tự"]
    assert grade(item, "đồng ý").points is None
    assert parse_markdown(to_markdown([item])).items == [item]
    assert loads_items(dumps_items([item])) == [item]
