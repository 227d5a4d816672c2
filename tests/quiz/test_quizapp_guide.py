"""The quiz example in the trainers' guide is a valid quiz file."""

from __future__ import annotations

import re
from pathlib import Path

from cchc_learn.content.frontmatter import parse_markdown
from cchc_learn.quiz.quiz_loader import read_quiz

REPO = Path(__file__).resolve().parents[2]


def test_the_quiz_example_of_the_guide_is_valid():
    guide = (REPO / "docs" / "quizzes.md").read_text(encoding="utf-8")
    [example] = re.findall(r"^```markdown\n(.*?)^```$", guide, re.M | re.S)
    md = parse_markdown(example, "docs/quizzes.md")
    spec, found = read_quiz(
        md.meta, "kiem-tra-tong-hop", md.body, path=md.path, line_of=md.line_of
    )
    assert found == []
    assert [(d.bank, d.count, d.topic) for d in spec.draws] == [
        ("tong-quan-cchc", 4, ""),
        ("chi-so-danh-gia", 3, "PAPI"),
    ]
    assert spec.closes_at.isoformat() == "2026-03-31T17:00:00+00:00"
    assert spec.opens_at.isoformat() == "2026-03-01T01:00:00+00:00"
