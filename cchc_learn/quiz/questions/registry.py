"""The question types by name, and what is done to any item through its type.

A new question type is one module of this package (its item class and `QuestionType`), listed
once below, and its template `templates/quiz/types/<name>.html`. The order below is the order
in which messages list the types.
"""

from __future__ import annotations

from .base import DIFFICULTY_MAX, DIFFICULTY_MIN, FORMATS, MAX_PARTS, Item, QuestionType
from .choice import MultipleType, SingleType
from .description import DescriptionType
from .essay import EssayType
from .matching import MatchingType
from .numerical import NumericalType
from .scoring import Response, Score
from .short_answer import ShortAnswerType
from .text import bad_control_char
from .true_false import TrueFalseType

TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (
        SingleType(),
        MultipleType(),
        TrueFalseType(),
        ShortAnswerType(),
        NumericalType(),
        MatchingType(),
        EssayType(),
        DescriptionType(),
    )
}
ITEM_CLASSES: dict[str, type[Item]] = {name: kind.item_class for name, kind in TYPES.items()}
# Graded by the server: every quiz draws them.
AUTO_GRADED_TYPES = tuple(name for name, kind in TYPES.items() if kind.auto_graded)
# Graded by a trainer; drawn only by quizzes that ask for them (`essays: true`).
MANUAL_TYPES = tuple(name for name, kind in TYPES.items() if kind.manual)
_META_FORBIDDEN = ("\n", "[", "]")


def question_type(name: str) -> QuestionType:
    """The type registered under name (KeyError for a name nobody registered)."""
    return TYPES[name]


def drawn_types(essays: bool) -> tuple[str, ...]:
    """The item types a quiz draws: the auto-graded ones, and essays when it asks for them."""
    return AUTO_GRADED_TYPES + MANUAL_TYPES if essays else AUTO_GRADED_TYPES


def grade(item: Item, response: Response) -> Score:
    """Grade response to item with the grader of its type."""
    return TYPES[item.type].grade(item, response)


GRADERS = {name: kind.grade for name, kind in TYPES.items()}


def validate_item(item: Item) -> list[str]:
    """Return every problem of item as a Vietnamese message; empty when it is usable."""
    kind = TYPES[item.type]
    problems: list[str] = []
    _check_common(item, kind, problems)
    if len(kind.parts(item)) > MAX_PARTS:
        return [*problems, f"câu hỏi có quá nhiều phương án hay đáp án (tối đa {MAX_PARTS})"]
    kind.check(item, problems)
    return problems


def _check_common(item: Item, kind: QuestionType, problems: list[str]) -> None:
    if not item.stem:
        problems.append("câu hỏi không có nội dung")
    if item.format not in FORMATS:
        problems.append(
            f"định dạng văn bản không hợp lệ: {item.format!r} (dùng markdown, html, plain, moodle)"
        )
    difficulty = item.difficulty
    if difficulty is not None and (
        isinstance(difficulty, bool)
        or not isinstance(difficulty, int)
        or not DIFFICULTY_MIN <= difficulty <= DIFFICULTY_MAX
    ):
        problems.append(
            f"độ khó phải là số nguyên từ {DIFFICULTY_MIN} đến {DIFFICULTY_MAX}: {difficulty!r}"
        )
    if "\n" in item.title:
        problems.append("tiêu đề câu hỏi phải nằm trên một dòng")
    if "\n" in item.topic:
        problems.append("chủ đề (topic) phải nằm trên một dòng")
    for label, value in (("mã câu hỏi (id)", item.id), ("tham chiếu (ref)", item.ref)):
        if any(char in value for char in _META_FORBIDDEN):
            problems.append(f"{label} không được chứa xuống dòng hoặc dấu [ ]: {value!r}")
    for tag in item.tags:
        if not tag or any(char in tag for char in (*_META_FORBIDDEN, ",")):
            problems.append(f"nhãn (tag) không hợp lệ: {tag!r} (không để trống, không chứa , [ ])")
    texts = [item.stem, item.title, item.explanation, item.topic, item.ref, item.id, *item.tags]
    for text in texts + kind.texts(item):
        char = bad_control_char(text)
        if char is not None:
            problems.append(f"văn bản chứa ký tự điều khiển không hợp lệ U+{ord(char):04X}")
            break
