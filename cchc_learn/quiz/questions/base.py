"""What every question item holds, and the hooks through which a question type says the rest.

A question type is one module of this package: its item dataclass and a `QuestionType` that
reads and writes it in the bank formats, checks it, renders it, lays it out for an attempt,
reads and grades the answers given to it, and shows it in reviews and analyses. Everything else
in the quiz feature asks the registry (`question_type(name)`) instead of switching on names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from random import Random
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from .scoring import Score
from .text import clean_number, clean_text

if TYPE_CHECKING:
    from .notation import Entry

FORMATS = ("markdown", "html", "plain", "moodle")
DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 5
MAX_PARTS = 100
FULL = 100.0
# Weights such as 33.33333 % written by hand must still add up to 100 %.
WEIGHT_SUM_TOLERANCE = 0.01


def is_full(weight: float) -> bool:
    """Tell whether a weight in percent gives full credit."""
    return abs(weight - FULL) < 1e-9


def check_weight(weight: float, low: float, what: str, problems: list[str]) -> bool:
    """Record a weight that is not a finite number from low to 100 %; True when it is one."""
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not math.isfinite(weight):
        problems.append(f"trọng số của {what} không phải là số: {weight!r}")
        return False
    if not low <= weight <= FULL:
        problems.append(f"trọng số của {what} phải từ {low:g}% đến 100%: {weight:g}%")
        return False
    return True


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


@dataclass
class Choice:
    """An option offered on the attempt page."""

    id: str
    html: str
    checked: bool = False


@dataclass
class ReviewOption:
    """An option as the review shows it."""

    html: str
    chosen: bool
    correct: bool
    feedback_html: str = ""


class Form(Protocol):
    """A multi-valued form (werkzeug's MultiDict)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def layout_ids(layout: Mapping[str, Any], part: str = "options") -> dict[str, int]:
    """The opaque ids of an attempt item's layout, mapped to option or pair keys."""
    return {str(oid): int(key) for oid, key in layout.get(part, [])}


def refused_choice(number: int) -> str:
    """What an official is told when a posted choice is not one the page offered."""
    return f"Câu {number}: lựa chọn không hợp lệ đã bị bỏ qua."


class MarkdownSection(Protocol):
    """What the Markdown reader offers the type that builds the item of a `##` section."""

    row: int  # of the heading, counted from 0
    entries: list[Entry]

    def error(self, row: int, message: str) -> None: ...

    def only(self, kind: str, allowed: str, label: str) -> bool: ...

    def no_extras(self, entry: Entry, *, text: bool = True, feedback: bool = False) -> bool: ...


class GiftPart(Protocol):
    """One answer of a GIFT answer block: marker (`~`, `=` or none), offsets, what it says."""

    marker: str
    begin: int
    stop: int
    weight: float | None
    text: str
    feedback: str


class GiftQuestion(Protocol):
    """What the GIFT reader offers the type that builds the item of an answer block."""

    source: str
    masked: str  # the source with every escaped pair hidden, offsets unchanged

    def error(self, offset: int, message: str) -> None: ...

    def text(self, begin: int, stop: int) -> str: ...

    def spans(self, start: int, end: int, markers: str) -> list[GiftPart]: ...

    def parts(self, start: int, end: int, markers: str) -> list[GiftPart]: ...


Render = Callable[[str], str]
PartFields = dict[str, str]  # field name -> JSON kind: text, number, bool or bound


class QuestionType:
    """Everything the quiz feature needs to know of one question type, as overridable hooks.

    The defaults fit a question with nothing to answer; each type module overrides what its
    items have. Hooks take plain values (items, the stored JSON and HTML of an item, the layout
    and response of an attempt item), never database rows.
    """

    name: ClassVar[str]
    item_class: ClassVar[type[Item]]
    # A person grades the answers (graded by nobody when neither this nor auto_graded).
    manual: ClassVar[bool] = False
    # Takes the `diacritics` setting (answers compared with or without Vietnamese accents).
    diacritics: ClassVar[bool] = False

    # Question JSON: the list of parts (key, part class, its fields), the type's own fields,
    # and the message for a field a stored item must have.
    json_parts: ClassVar[tuple[str, type, PartFields] | None] = None
    json_fields: ClassVar[PartFields] = {}
    json_required: ClassVar[dict[str, str]] = {}

    @property
    def auto_graded(self) -> bool:
        """Whether the server grades answers (and a quiz always draws such items)."""
        return self.item_class.auto_graded

    @property
    def template(self) -> str:
        """The template whose macros show this type: `answer(q, name)` on the attempt page,
        `review(it, grading)` after it and `key(data, rendered)` in the trainers' preview."""
        return f"quiz/types/{self.name}.html"

    # ---------------------------------------------------------------- the item

    def parts(self, item: Any) -> list[Any]:
        """The options, answers or pairs of item (counted against MAX_PARTS)."""
        return []

    def texts(self, item: Any) -> list[str]:
        """The texts of item beyond the common ones (checked for control characters)."""
        return []

    def check(self, item: Any, problems: list[str]) -> None:
        """Record what is wrong with item as a question of this type, in Vietnamese."""

    # ---------------------------------------------------------------- bank files

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        """Build the item of a Markdown `##` section (its answer lines in `section.entries`)."""
        if section.entries:
            section.error(
                section.entries[0].line - 1,
                f"câu hỏi loại {self.name} không có phương án hay đáp án",
            )
            return None
        return self.item_class(**common)

    def markdown_entries(self, item: Any) -> list[Any]:
        """The Markdown answer lines (notation.Entry) that spell item."""
        return []

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        """Build the item of a GIFT question whose answer block spans start..end."""
        return self.item_class(**common)

    def gift_block(self, item: Any) -> str:
        """The GIFT answer block `{…}` that spells item (empty when it has none)."""
        return ""

    # ---------------------------------------------------------------- pages

    def render(self, item: Any, block: Render, inline: Render) -> dict[str, Any]:
        """The HTML of the type's own texts, rendered once when the item is saved."""
        return {}

    def layout(
        self, item: Any, rng: Random, shuffle: bool, new_ids: Callable[[int], list[str]]
    ) -> dict[str, Any]:
        """Opaque ids for what an attempt page offers, in display order, mapped to keys."""
        return {}

    def offer(self, rendered: dict[str, Any], layout: dict[str, Any], saved: Any) -> dict[str, Any]:
        """What the attempt page shows to answer the item, with the answer saved so far."""
        return {"text": saved if isinstance(saved, str) else ""}

    def read_response(
        self, form: Form, name: str, layout: dict[str, Any], number: int, problems: list[str]
    ) -> tuple[bool, Any]:
        """Read the posted answer: (whether to store it, the value), recording what was refused."""
        return False, None

    def grader_response(self, layout: dict[str, Any], stored: Any) -> Any:
        """Turn a stored (not None) response into the keys and values `grade` takes."""
        return None

    def grade(self, item: Any, response: Any) -> Score:
        """Grade a response; never raise on a learner's input. Default: not graded here."""
        return Score(points=None, correct=False, partial=False, needs_manual=self.manual)

    def chosen_keys(self, response: Any) -> list[int]:
        """Option keys a grader response chose, for the option distribution."""
        return []

    def typed_answer(self, stored: Any) -> str | None:
        """A typed answer folded the way graders compare it, for the frequent answers."""
        return None

    def review(
        self,
        item: Any,
        rendered: dict[str, Any],
        layout: dict[str, Any],
        saved: Any,
        response: Any,
        score: Score,
    ) -> dict[str, Any]:
        """What the review shows of an answer besides points and status: options, typed text…"""
        return {}

    def option_rows(self, data: dict[str, Any], rendered: dict[str, Any]) -> list[tuple]:
        """(html, option key, correct) for each option the analysis counts choices of."""
        return []
