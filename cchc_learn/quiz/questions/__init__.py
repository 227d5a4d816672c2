"""What a question is: the item model, and one module per question type behind a registry."""

from .base import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    FORMATS,
    FULL,
    MAX_PARTS,
    Choice,
    Form,
    Item,
    QuestionType,
    ReviewOption,
    is_full,
    normalize_item,
)
from .choice import ChoiceItem, MultipleChoice, Option, SingleChoice
from .description import Description
from .essay import Essay
from .matching import Matching, Pair
from .numerical import Numerical, NumericAnswer
from .registry import (
    AUTO_GRADED_TYPES,
    GRADERS,
    ITEM_CLASSES,
    MANUAL_TYPES,
    TYPES,
    drawn_types,
    grade,
    question_type,
    validate_item,
)
from .scoring import MAX_TYPED, Part, Response, Score
from .short_answer import ShortAnswer, TextAnswer
from .text import BLANKS, bad_control_char, clean_number, clean_text, fold_text
from .true_false import TrueFalse

__all__ = [
    "AUTO_GRADED_TYPES",
    "BLANKS",
    "DIFFICULTY_MAX",
    "DIFFICULTY_MIN",
    "FORMATS",
    "FULL",
    "GRADERS",
    "ITEM_CLASSES",
    "MANUAL_TYPES",
    "MAX_PARTS",
    "MAX_TYPED",
    "TYPES",
    "Choice",
    "ChoiceItem",
    "Description",
    "Essay",
    "Form",
    "Item",
    "Matching",
    "MultipleChoice",
    "NumericAnswer",
    "Numerical",
    "Option",
    "Pair",
    "Part",
    "QuestionType",
    "Response",
    "ReviewOption",
    "Score",
    "ShortAnswer",
    "SingleChoice",
    "TextAnswer",
    "TrueFalse",
    "bad_control_char",
    "clean_number",
    "clean_text",
    "drawn_types",
    "fold_text",
    "grade",
    "is_full",
    "normalize_item",
    "question_type",
    "validate_item",
]
