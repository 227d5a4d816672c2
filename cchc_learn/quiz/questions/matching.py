"""Matching: left sides to match with right sides; keys are pair positions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import (
    Choice,
    GiftQuestion,
    Item,
    MarkdownSection,
    QuestionType,
    layout_ids,
    refused_choice,
)
from .notation import FORMAT_TAG, Entry, escape, gift_answer_lines, unescape
from .scoring import Part, Score, is_key
from .text import clean_text


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


def _pair_line(left: str, right: str, fmt: str) -> str:
    # A left side opening with '%' would read as a weight, which would make this a short answer.
    written = escape(left)
    if FORMAT_TAG.match(left) or left.startswith("%"):
        written = f"[{fmt}]" + written
    return f"= {written} -> {escape(right)}" if written else f"= -> {escape(right)}"


class MatchingType(QuestionType):
    """Pick a right side for each left side; each real pair matched earns its share."""

    name = "matching"
    item_class = Matching
    json_parts = ("pairs", Pair, {"left": "text", "right": "text"})

    def parts(self, item: Matching) -> list[Any]:
        return item.pairs

    def texts(self, item: Matching) -> list[str]:
        return [t for p in item.pairs for t in (p.left, p.right)]

    def check(self, item: Matching, problems: list[str]) -> None:
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

    def from_markdown(
        self, section: MarkdownSection, common: dict[str, Any], meta: dict[str, Any]
    ) -> Any:
        if not section.only(self.name, "pair", "các cặp ghép '- trái -> phải'"):
            return None
        if not all(section.no_extras(e) for e in section.entries):
            return None
        pairs = [
            Pair(left=clean_text(e.text[0]), right=clean_text(e.right)) for e in section.entries
        ]
        return Matching(**common, pairs=pairs)

    def markdown_entries(self, item: Matching) -> list[Entry]:
        return [Entry("pair", 0, [p.left], right=p.right) for p in item.pairs]

    def from_gift(
        self, question: GiftQuestion, start: int, end: int, common: dict[str, Any]
    ) -> Any:
        pairs = []
        for span in question.spans(start, end, "="):
            if not span.marker:
                question.error(
                    span.begin, "có chữ thừa trước cặp ghép đầu tiên (cặp bắt đầu bằng =)"
                )
                return None
            arrow = question.masked.find("->", span.begin, span.stop)
            if arrow < 0:
                question.error(span.begin, "cặp ghép thiếu dấu -> giữa vế trái và vế phải")
                return None
            # Pairs have no feedback: a `#` stays part of the text, as in Moodle.
            left = question.text(span.begin, arrow)
            right = clean_text(unescape(question.source[arrow + 2 : span.stop]))
            pairs.append(Pair(left=left, right=right))
        return Matching(**common, pairs=pairs)

    def gift_block(self, item: Matching) -> str:
        lines = [_pair_line(p.left, p.right, item.format) for p in item.pairs]
        return gift_answer_lines(lines, item.explanation, item.format)

    def render(self, item: Matching, block, inline) -> dict[str, Any]:
        return {
            "lefts": [inline(pair.left) for pair in item.pairs],
            "rights": [inline(pair.right) for pair in item.pairs],
        }

    def layout(self, item: Matching, rng, shuffle, new_ids) -> dict[str, Any]:
        lefts = item.left_keys()
        if shuffle:
            rng.shuffle(lefts)
        # Equal right sides are offered once; the grader compares their texts.
        rights: dict[str, int] = {}
        for key in item.right_keys():
            rights.setdefault(item.pairs[key].right, key)
        right_keys = list(rights.values())
        # Always shuffled: in authored order the answer would be the row itself.
        rng.shuffle(right_keys)
        return {
            "lefts": [[lid, key] for lid, key in zip(new_ids(len(lefts)), lefts, strict=True)],
            "rights": [
                [rid, key] for rid, key in zip(new_ids(len(right_keys)), right_keys, strict=True)
            ],
        }

    def offer(self, rendered, layout, saved) -> dict[str, Any]:
        picks = saved if isinstance(saved, dict) else {}
        return {
            "lefts": [
                (lid, rendered["lefts"][key], picks.get(lid)) for lid, key in layout["lefts"]
            ],
            "rights": [Choice(rid, rendered["rights"][key]) for rid, key in layout["rights"]],
        }

    def read_response(self, form, name, layout, number, problems) -> tuple[bool, Any]:
        lefts, rights = layout_ids(layout, "lefts"), layout_ids(layout, "rights")
        chosen = {}
        for lid in lefts:
            value = form.get(f"{name}-{lid}") or None
            if value is None:
                continue
            if value in rights:
                chosen[lid] = value
            else:
                problems.append(refused_choice(number))
        return True, chosen or None

    def grader_response(self, layout, stored) -> Any:
        if not isinstance(stored, Mapping):
            return None
        lefts, rights = layout_ids(layout, "lefts"), layout_ids(layout, "rights")
        return {
            lefts[lid]: rights[rid]
            for lid, rid in stored.items()
            if lid in lefts and isinstance(rid, str) and rid in rights
        }

    def grade(self, item: Matching, response: Any) -> Score:
        """Give the share of real pairs matched to a right side with the right text."""
        lefts = item.left_keys()
        if response is None or not lefts:
            return Score.of(0)
        if not isinstance(response, Mapping):
            return Score.of(0, ignored=[response])
        ignored = [key for key in response if key not in lefts]
        parts = []
        for key in lefts:
            chosen = response.get(key)
            valid = is_key(chosen, len(item.pairs))
            if chosen is not None and not valid:
                ignored.append(chosen)
            # Two pairs may share a right side; either of them shows the same text.
            right = valid and item.pairs[chosen].right == item.pairs[key].right
            parts.append(Part(key, right, 1 / len(lefts) if right else 0.0))
        return Score.of(sum(part.credit for part in parts), parts, ignored)

    def review(self, item: Matching, rendered, layout, saved, response, score) -> dict[str, Any]:
        picks = response if isinstance(response, dict) else {}
        pairs = []
        for _, key in layout["lefts"]:
            chosen = picks.get(key)
            right = item.pairs[key].right
            ok = chosen is not None and item.pairs[chosen].right == right
            pairs.append(
                (
                    rendered["lefts"][key],
                    rendered["rights"][chosen] if chosen is not None else None,
                    rendered["rights"][key],
                    ok,
                )
            )
        return {"pairs": pairs}
