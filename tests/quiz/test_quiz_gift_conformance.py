"""GIFT files nobody on this project wrote: Moodle's import fixtures and an independent grammar's
test suite (each X.gift with the parse that grammar expects in X.json), compared by meaning."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from cchc_learn.quiz.formats.gift import parse_gift
from cchc_learn.quiz.questions import (
    ChoiceItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CCHC_SHARED_DIR") or REPO.parent / "shared")
GIFT = SHARED / "gift"
PEG = GIFT / "peg"
MOODLE = GIFT / "moodle"


def require(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.fail(
            f"GIFT conformance data missing: {folder} does not exist. Put the shared data next to "
            "the repository (../shared/gift) or point CCHC_SHARED_DIR at the shared folder."
        )
    return folder


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


# ---------------------------------------------------------------- Moodle's own fixtures


def test_moodle_fixture_imports_nine_questions():
    bank = parse_gift(read(require(MOODLE) / "questions.gift.txt"), "questions.gift.txt")
    assert [item.type for item in bank.items] == [
        "essay",
        "matching",
        "single",
        "multiple",
        "numerical",
        "short_answer",
        "true_false",
        "true_false",
        "true_false",
    ]
    essay, match, single, multiple, numerical, short, tf_false, tf_t, tf_true = bank.items
    assert (essay.title, essay.stem) == ("Q8", "How are you?")
    assert match.format == "html"
    assert [(p.left, p.right) for p in match.pairs][-2:] == [
        ("A collection of web pages that anyone can add to or edit.", "Wiki"),
        ("", "Chat"),
    ]
    assert [(o.text, o.weight, o.feedback) for o in single.options] == [
        ("yellow", 100, "right; good!"),
        ("red", 0, "wrong, it's yellow"),
        ("blue", 0, "wrong, it's yellow"),
    ]
    assert [o.weight for o in multiple.options] == [50, -100, 50, -100]
    # The answer block is followed by '";', so Moodle makes it a missing-word question.
    assert numerical.stem == 'What is a number from 1 to 5? _____";'
    assert numerical.answers == [
        NumericAnswer(min=1, max=5),
        NumericAnswer(min=None, max=None, weight=0, feedback="Completely wrong"),
    ]
    assert [(a.text, a.weight) for a in short.answers] == [("Frog", 100), ("Cat", 50), ("*", 0)]
    assert tf_false.answer is False
    assert (tf_false.feedback_true, tf_false.feedback_false) == (
        "42 is the Ultimate Answer.",
        "You gave the right answer.",
    )
    assert (
        tf_false.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    assert (tf_t.answer, tf_true.answer, tf_true.title) == (True, True, "2-08 TSL")


def test_moodle_category_fixture_sets_the_topic_of_four_questions():
    bank = parse_gift(read(require(MOODLE) / "questions_in_category.gift.txt"), "cat.gift")
    assert [item.type for item in bank.items] == [
        "matching",
        "single",
        "short_answer",
        "true_false",
    ]
    assert {item.topic for item in bank.items} == {"Default for New Features"}
    greeting = bank.items[1]
    assert greeting.stem.startswith(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">'
    )
    assert greeting.stem.endswith("What language is being spoken?")


# ---------------------------------------------------------------- the PEG grammar's suite

# Where this parser and that grammar genuinely differ, keyed by (file, question index).
DIFFERENCES = {
    ("TFTwoFeedback", 1): "Moodle reads {TRUE#a} as feedback a for the wrong choice (false)",
    ("TFTwoFeedback", 2): "Moodle reads {TRUE#a#b} as a for choosing false, b for choosing true",
}


def peg_names() -> list[str]:
    if not PEG.is_dir():
        return ["<missing>"]
    return sorted(path.stem for path in PEG.glob("*.gift"))


def norm(fmt: str, text: str | None) -> str:
    """Compare texts by meaning: the grammar pads the blank of missing-word questions with
    spaces and folds line breaks of moodle/plain text into spaces (Moodle itself keeps them)."""
    text = re.sub(r"[ \t]*_____[ \t]*", " _____ ", text or "").strip()
    if fmt in {"moodle", "plain"}:
        text = " ".join(text.split())
    return re.sub(r" _____ (?=[.,;:?!]|$)", " _____", text).strip()


def text_of(obj) -> tuple[str, str]:
    if obj is None:
        return "moodle", ""
    return obj["format"], obj["text"]


def expected_weight(choice, full_when_correct: bool = True) -> float:
    if choice["weight"] is not None:
        return float(choice["weight"])
    return 100.0 if choice["isCorrect"] and full_when_correct else 0.0


def interval(spec) -> tuple[float, float]:
    if spec["type"] == "simple":
        return float(spec["number"]), float(spec["number"])
    if spec["type"] == "range":
        number, tolerance = Decimal(str(spec["number"])), Decimal(str(spec["range"]))
        return float(number - tolerance), float(number + tolerance)
    return float(spec["numberLow"]), float(spec["numberHigh"])


TYPES = {
    "TF": "true_false",
    "Short": "short_answer",
    "Numerical": "numerical",
    "Matching": "matching",
    "Essay": "essay",
    "Description": "description",
}


def expected_meaning(question) -> dict:
    stem_format, stem = text_of(question["stem"])
    kind = question["type"]
    if kind == "MC":
        kind = "single" if any(c["isCorrect"] for c in question["choices"]) else "multiple"
    meaning = {
        "type": TYPES.get(kind, kind),
        "title": question["title"] or "",
        "format": stem_format,
        "stem": norm(stem_format, stem),
        "id": question.get("id") or "",
        "tags": question.get("tags") or [],
        "explanation": norm(*text_of(question.get("globalFeedback"))),
    }
    if kind in {"single", "multiple", "Short"}:
        meaning["answers"] = [
            (
                norm(*text_of(c["text"])),
                expected_weight(c),
                norm(*text_of(c["feedback"])),
            )
            for c in question["choices"]
        ]
    elif kind == "TF":
        meaning["answer"] = question["isTrue"]
        meaning["feedback_true"] = norm(*text_of(question["trueFeedback"]))
        meaning["feedback_false"] = norm(*text_of(question["falseFeedback"]))
    elif kind == "Matching":
        meaning["pairs"] = [
            (norm(*text_of(p["subquestion"])), p["subanswer"]) for p in question["matchPairs"]
        ]
    elif kind == "Numerical":
        choices = question["choices"]
        if isinstance(choices, dict):
            choices = [{"isCorrect": True, "weight": None, "text": choices, "feedback": None}]
        meaning["answers"] = [
            (
                "*" if "format" in c["text"] else interval(c["text"]),
                expected_weight(c),
                norm(*text_of(c["feedback"])),
            )
            for c in choices
        ]
    return meaning


def actual_meaning(item, question) -> dict:
    def like(expected_text, text: str) -> str:
        return norm(text_of(expected_text)[0], text)

    meaning = {
        "type": item.type,
        "title": item.title,
        "format": item.format,
        "stem": norm(item.format, item.stem),
        "id": item.id,
        "tags": item.tags,
        "explanation": like(question.get("globalFeedback"), item.explanation),
    }
    if isinstance(item, ChoiceItem | ShortAnswer):
        entries = item.options if isinstance(item, ChoiceItem) else item.answers
        meaning["answers"] = [
            (like(c["text"], e.text), e.weight, like(c["feedback"], e.feedback))
            for e, c in zip(entries, question["choices"], strict=False)
        ]
        extra = entries[len(question["choices"]) :]
        meaning["answers"] += [("<extra>", e.weight, e.feedback) for e in extra]
    elif isinstance(item, TrueFalse):
        meaning["answer"] = item.answer
        meaning["feedback_true"] = like(question["trueFeedback"], item.feedback_true)
        meaning["feedback_false"] = like(question["falseFeedback"], item.feedback_false)
    elif isinstance(item, Matching):
        meaning["pairs"] = [
            (like(p["subquestion"], mine.left), mine.right)
            for mine, p in zip(item.pairs, question["matchPairs"], strict=False)
        ] + [("<extra>", mine.right) for mine in item.pairs[len(question["matchPairs"]) :]]
    elif isinstance(item, Numerical):
        choices = question["choices"]
        if isinstance(choices, dict):
            choices = [{"feedback": None}]
        meaning["answers"] = [
            (
                "*" if a.is_catch_all else (a.min, a.max),
                a.weight,
                like(c["feedback"], a.feedback),
            )
            for a, c in zip(item.answers, choices, strict=False)
        ] + [("<extra>", a.weight, a.feedback) for a in item.answers[len(choices) :]]
    return meaning


def test_peg_suite_is_all_there():
    names = peg_names()
    assert len(names) >= 50, f"only {len(names)} GIFT files in {PEG}"


@pytest.mark.parametrize("name", peg_names())
def test_peg_file_means_what_the_grammar_expects(name):
    folder = require(PEG)
    bank = parse_gift(read(folder / f"{name}.gift"), f"{name}.gift")
    expected = json.loads(read(folder / f"{name}.json"))
    categories = [q for q in expected if q["type"] == "Category"]
    questions = [q for q in expected if q["type"] != "Category"]
    assert len(bank.items) == len(questions)
    for index, (item, question) in enumerate(zip(bank.items, questions, strict=True)):
        want = expected_meaning(question)
        if (name, index) in DIFFERENCES:
            want["feedback_true"], want["feedback_false"] = (
                want["feedback_false"],
                want["feedback_true"],
            )
        assert actual_meaning(item, question) == want, f"question {index + 1} of {name}.gift"
    if categories:
        bank_after = parse_gift(read(folder / f"{name}.gift") + "\n\nQ?{T}\n", name)
        assert bank_after.items[-1].topic == categories[-1]["title"].removeprefix("$course$/top/")


def test_single_and_multiple_follow_moodle_rule():
    # An answer block with '=' is single choice; one with only '~' weights is multiple choice.
    bank = parse_gift(read(require(PEG) / "options1.gift"), "options1.gift")
    kinds = [type(item) for item in bank.items if isinstance(item, ChoiceItem)]
    assert kinds.count(MultipleChoice) == 2 and kinds.count(SingleChoice) == 6
