"""Question items: the typed model that every bank format reads and writes."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import ClassVar, cast

FORMATS = ("markdown", "html", "plain", "moodle")
TYPES = (
    "single",
    "multiple",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "essay",
    "description",
)
DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 5
MAX_PARTS = 100
FULL = 100.0
# Weights such as 33.33333 % written by hand must still add up to 100 %.
WEIGHT_SUM_TOLERANCE = 0.01
# Only ASCII blanks are trimmed: a leading no-break space is content, not layout.
BLANKS = " \t\n"
# Unicode category Cc (C0, DEL, C1) except line feed and tab.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_META_FORBIDDEN = ("\n", "[", "]")


def clean_text(text: str) -> str:
    """Return text as stored: NFC, LF line breaks, blank-only lines emptied, ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = ["" if not line.strip(" \t") else line for line in text.split("\n")]
    return "\n".join(lines).strip(BLANKS)


def clean_number(value: float) -> float:
    """Return value as a float without a negative zero."""
    value = float(value)
    return 0.0 if value == 0 else value


def is_full(weight: float) -> bool:
    """Tell whether a weight in percent gives full credit."""
    return abs(weight - FULL) < 1e-9


def bad_control_char(text: str) -> str | None:
    """Return the first control character that no question text may hold, if any."""
    found = _CONTROL.search(text)
    return found.group() if found else None


@dataclass(kw_only=True)
class Option:
    """One option of a choice item; weight is the credit in percent when chosen."""

    text: str
    weight: float = 0.0
    feedback: str = ""


@dataclass(kw_only=True)
class TextAnswer:
    """One accepted short answer; `*` is a wildcard and `\\*` a literal star."""

    text: str
    weight: float = FULL
    feedback: str = ""


@dataclass(kw_only=True)
class NumericAnswer:
    """One accepted numeric interval; min and max both None accept any number."""

    min: float | None
    max: float | None
    weight: float = FULL
    feedback: str = ""

    @property
    def is_catch_all(self) -> bool:
        """Tell whether this answer matches every number (Moodle's `*`)."""
        return self.min is None and self.max is None


@dataclass(kw_only=True)
class Pair:
    """One matching pair; an empty left side makes the right side a distractor."""

    left: str
    right: str

    @property
    def is_distractor(self) -> bool:
        """Tell whether the pair only adds a wrong choice on the right."""
        return not self.left


@dataclass(kw_only=True)
class Item:
    """Fields every question carries, whatever its type."""

    type: ClassVar[str] = ""
    auto_graded: ClassVar[bool] = True

    stem: str
    title: str = ""
    id: str = ""
    tags: list[str] = field(default_factory=list)
    topic: str = ""
    difficulty: int | None = None
    explanation: str = ""
    ref: str = ""
    format: str = "markdown"
    line: int | None = field(default=None, compare=False)


@dataclass(kw_only=True)
class ChoiceItem(Item):
    """A question answered by picking options, keyed by their authored position."""

    options: list[Option] = field(default_factory=list)

    def option_keys(self) -> range:
        """Return the stable keys of the options (their index in authored order)."""
        return range(len(self.options))


@dataclass(kw_only=True)
class SingleChoice(ChoiceItem):
    """Pick one option; at least one option is worth 100 %."""

    type: ClassVar[str] = "single"


@dataclass(kw_only=True)
class MultipleChoice(ChoiceItem):
    """Pick any options; positive weights add up to 100 %."""

    type: ClassVar[str] = "multiple"


@dataclass(kw_only=True)
class TrueFalse(Item):
    """A statement that is true or false, with feedback for each choice."""

    type: ClassVar[str] = "true_false"
    answer: bool = True
    feedback_true: str = ""
    feedback_false: str = ""


@dataclass(kw_only=True)
class ShortAnswer(Item):
    """A typed answer compared without regard to case and extra spaces."""

    type: ClassVar[str] = "short_answer"
    answers: list[TextAnswer] = field(default_factory=list)
    diacritics_insensitive: bool = False


@dataclass(kw_only=True)
class Numerical(Item):
    """A typed number that must fall in one of the accepted intervals."""

    type: ClassVar[str] = "numerical"
    answers: list[NumericAnswer] = field(default_factory=list)


@dataclass(kw_only=True)
class Matching(Item):
    """Left sides to match with right sides; keys are pair positions."""

    type: ClassVar[str] = "matching"
    pairs: list[Pair] = field(default_factory=list)

    def left_keys(self) -> list[int]:
        """Return the keys of the pairs a learner has to match."""
        return [i for i, pair in enumerate(self.pairs) if not pair.is_distractor]

    def right_keys(self) -> range:
        """Return the keys of every right side offered, distractors included."""
        return range(len(self.pairs))


@dataclass(kw_only=True)
class Essay(Item):
    """A free-text answer graded by a person."""

    type: ClassVar[str] = "essay"
    auto_graded: ClassVar[bool] = False


@dataclass(kw_only=True)
class Description(Item):
    """Text shown between questions; nothing to answer."""

    type: ClassVar[str] = "description"
    auto_graded: ClassVar[bool] = False


ITEM_CLASSES: dict[str, type[Item]] = {
    cls.type: cls
    for cls in (
        SingleChoice,
        MultipleChoice,
        TrueFalse,
        ShortAnswer,
        Numerical,
        Matching,
        Essay,
        Description,
    )
}


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return clean_number(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _cleaned(getattr(value, f.name)) for f in fields(value)})
    return value


def normalize_item(item: Item) -> Item:
    """Return a copy of item with every text cleaned the way the parsers store it."""
    clean = cast(Item, _cleaned(item))
    clean.tags = [tag for tag in clean.tags if tag]
    return clean


def validate_item(item: Item) -> list[str]:
    """Return every problem of item as a Vietnamese message; empty when it is usable."""
    problems: list[str] = []
    _check_common(item, problems)
    parts = (
        getattr(item, "options", None)
        or getattr(item, "answers", None)
        or getattr(item, "pairs", [])
    )
    if len(parts) > MAX_PARTS:
        return [*problems, f"câu hỏi có quá nhiều phương án hay đáp án (tối đa {MAX_PARTS})"]
    if isinstance(item, SingleChoice | MultipleChoice):
        _check_choice(item, problems)
    elif isinstance(item, ShortAnswer):
        _check_short(item, problems)
    elif isinstance(item, Numerical):
        _check_numerical(item, problems)
    elif isinstance(item, Matching):
        _check_matching(item, problems)
    elif isinstance(item, TrueFalse) and not isinstance(item.answer, bool):
        problems.append("câu Đúng/Sai cần đáp án là đúng hoặc sai")
    elif isinstance(item, Description) and item.explanation:
        problems.append("phần mô tả (description) không có giải thích")
    return problems


def _texts(item: Item) -> list[str]:
    texts = [item.stem, item.title, item.explanation, item.topic, item.ref, item.id, *item.tags]
    if isinstance(item, ChoiceItem):
        texts += [t for o in item.options for t in (o.text, o.feedback)]
    elif isinstance(item, TrueFalse):
        texts += [item.feedback_true, item.feedback_false]
    elif isinstance(item, ShortAnswer | Numerical):
        texts += [a.feedback for a in item.answers]
        if isinstance(item, ShortAnswer):
            texts += [a.text for a in item.answers]
    elif isinstance(item, Matching):
        texts += [t for p in item.pairs for t in (p.left, p.right)]
    return texts


def _check_common(item: Item, problems: list[str]) -> None:
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
    for text in _texts(item):
        char = bad_control_char(text)
        if char is not None:
            problems.append(f"văn bản chứa ký tự điều khiển không hợp lệ U+{ord(char):04X}")
            break


def _check_weight(weight: float, low: float, what: str, problems: list[str]) -> bool:
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not math.isfinite(weight):
        problems.append(f"trọng số của {what} không phải là số: {weight!r}")
        return False
    if not low <= weight <= FULL:
        problems.append(f"trọng số của {what} phải từ {low:g}% đến 100%: {weight:g}%")
        return False
    return True


def _check_choice(item: ChoiceItem, problems: list[str]) -> None:
    if len(item.options) < 2:
        problems.append("câu hỏi lựa chọn cần ít nhất 2 phương án")
    seen: set[str] = set()
    weights_ok = True
    for number, option in enumerate(item.options, start=1):
        if not option.text:
            problems.append(f"phương án thứ {number} để trống")
        elif option.text in seen:
            problems.append(f"phương án bị lặp: {option.text!r}")
        seen.add(option.text)
        weights_ok &= _check_weight(option.weight, -FULL, f"phương án thứ {number}", problems)
    if not weights_ok:
        return
    if isinstance(item, SingleChoice):
        if not any(is_full(o.weight) for o in item.options):
            problems.append("câu hỏi không có đáp án đúng (cần một phương án 100%)")
        return
    positive = sum(o.weight for o in item.options if o.weight > 0)
    if positive == 0:
        problems.append("câu hỏi không có đáp án đúng")
    elif abs(positive - FULL) > WEIGHT_SUM_TOLERANCE:
        problems.append(f"tổng trọng số các phương án đúng phải bằng 100% (hiện là {positive:g}%)")


def _check_short(item: ShortAnswer, problems: list[str]) -> None:
    if not item.answers:
        problems.append("câu hỏi không có đáp án")
        return
    weights_ok = True
    for number, answer in enumerate(item.answers, start=1):
        if not answer.text:
            problems.append(f"đáp án thứ {number} để trống")
        weights_ok &= _check_weight(answer.weight, 0.0, f"đáp án thứ {number}", problems)
    if weights_ok and not any(is_full(a.weight) for a in item.answers):
        problems.append("câu hỏi không có đáp án đúng (cần một đáp án 100%)")


def _check_numerical(item: Numerical, problems: list[str]) -> None:
    if not item.answers:
        problems.append("câu hỏi không có đáp án")
        return
    weights_ok = True
    for number, answer in enumerate(item.answers, start=1):
        weights_ok &= _check_weight(answer.weight, 0.0, f"đáp án thứ {number}", problems)
        if answer.is_catch_all:
            continue
        low, high = answer.min, answer.max
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in (low, high)
        ):
            problems.append(f"đáp án số thứ {number} không phải là số hữu hạn")
        elif low > high:
            problems.append(f"đáp án số thứ {number}: cận dưới {low:g} lớn hơn cận trên {high:g}")
    if weights_ok and not any(is_full(a.weight) and not a.is_catch_all for a in item.answers):
        problems.append("câu hỏi không có đáp án đúng (cần một đáp án số 100%)")


def _check_matching(item: Matching, problems: list[str]) -> None:
    real = [p for p in item.pairs if not p.is_distractor]
    if len(real) < 2:
        problems.append("câu ghép đôi cần ít nhất 2 cặp có vế trái")
    lefts: set[str] = set()
    for number, pair in enumerate(item.pairs, start=1):
        if not pair.right:
            problems.append(f"cặp ghép thứ {number} thiếu vế phải")
        if "\n" in pair.left or "\n" in pair.right:
            problems.append(f"cặp ghép thứ {number} phải nằm trên một dòng")
        if "->" in pair.left:
            problems.append(f"vế trái của cặp ghép thứ {number} không được chứa '->'")
        if pair.left and pair.left in lefts:
            problems.append(f"vế trái bị lặp: {pair.left!r}")
        lefts.add(pair.left)
