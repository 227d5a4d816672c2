"""Every Markdown example in the trainers' guide parses, and together they show every type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cchc_learn.quiz.formats.markdown import parse_markdown
from cchc_learn.quiz.questions import TYPES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "question-format.md"


def examples() -> list[str]:
    return re.findall(r"^```markdown\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.M | re.S)


@pytest.mark.parametrize("number", range(len(examples())))
def test_guide_example_parses(number):
    bank = parse_markdown(examples()[number], f"{GUIDE.name} ví dụ {number + 1}")
    assert bank.items


def test_guide_shows_every_item_type():
    shown = {item.type for source in examples() for item in parse_markdown(source).items}
    assert shown == set(TYPES)
