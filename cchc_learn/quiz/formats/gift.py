"""Read Moodle GIFT files into quiz items, the way Moodle's own importer reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..items import (
    BLANKS,
    MAX_PARTS,
    Description,
    Essay,
    Item,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    clean_text,
    validate_item,
)
from .attributes import meta_value
from .bank import MAX_ITEMS, TOO_MANY_ITEMS, Bank, check_unique_ids
from .entries import numeric_spec
from .errors import Problems
from .gift_text import mask, split_format, topic_from_category, unescape
from .numbers import parse_weight
from .source import source_lines

_META = re.compile(r"\[(id|tag|difficulty|ref|diacritics):([^\]\n]*)\]")
_WEIGHT = re.compile(r"[ \t\n]*%([^%\n]*)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"


def parse_gift(text: str, path: str = "<gift>") -> Bank:
    """Parse a GIFT file; raise QuestionFormatError listing every problem of the file."""
    problems = Problems(path)
    lines = source_lines(text, problems)
    items: list[Item] = []
    topic = ""
    meta: dict[str, Any] = {}
    questions = 0
    for first, block in _blocks(lines):
        body: list[str] = []
        for offset, line in enumerate(block):
            stripped = line.strip(" \t")
            if stripped.startswith("//"):
                _read_meta(stripped, first + offset + 1, meta, problems)
                body.append("")
            elif stripped.startswith(_CATEGORY) and not "".join(body).strip(BLANKS):
                topic = clean_text(topic_from_category(stripped[len(_CATEGORY) :]))
                body.append("")
            else:
                body.append(line)
        source = "\n".join(body)
        if not source.strip(BLANKS):
            continue
        questions += 1
        if questions > MAX_ITEMS:
            problems.add(first + 1, TOO_MANY_ITEMS)
            break
        item = _Question(source, first + 1, problems).read()
        if item is not None:
            _apply_meta(item, meta, topic, problems)
            for message in validate_item(item):
                problems.add(item.line, message)
            items.append(item)
        meta = {}
    check_unique_ids(items, problems)
    problems.raise_if_any()
    return Bank(items=items)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines):
        if not line.strip(" \t"):
            continue
        if blocks and blocks[-1][0] + len(blocks[-1][1]) == number:
            blocks[-1][1].append(line)
        else:
            blocks.append((number, [line]))
    return blocks


def _read_meta(comment: str, line: int, meta: dict[str, Any], problems: Problems) -> None:
    for key, raw in _META.findall(comment):
        value = raw.strip(BLANKS)
        if key == "tag":
            meta.setdefault("tags", []).append(value)
            continue
        try:
            meta[key] = meta_value(key, value)
        except ValueError as exc:
            problems.add(line, str(exc))


def _apply_meta(item: Item, meta: dict[str, Any], topic: str, problems: Problems) -> None:
    item.topic = topic
    item.id = meta.get("id", "")
    item.tags = [tag for tag in (clean_text(t) for t in meta.get("tags", [])) if tag]
    item.difficulty = meta.get("difficulty")
    item.ref = meta.get("ref", "")
    if "diacritics" in meta:
        if isinstance(item, ShortAnswer):
            item.diacritics_insensitive = meta["diacritics"]
        else:
            problems.add(item.line, "diacritics chỉ dùng cho câu trả lời ngắn (short_answer)")


def _text(raw: str) -> str:
    return clean_text(unescape(split_format(raw)[1]))


@dataclass
class _Part:
    """One answer of an answer block: its marker (`~`, `=` or none) and raw span."""

    marker: str
    begin: int
    stop: int
    weight: float | None = None
    text: str = ""
    feedback: str = ""


class _Question:
    """Parse the text of one GIFT question (comments already blanked out)."""

    def __init__(self, source: str, line: int, problems: Problems) -> None:
        self.source, self.masked = source, mask(source)
        self.first_line, self.problems = line, problems
        self.failed = False

    def line_of(self, offset: int) -> int:
        return self.first_line + self.source.count("\n", 0, offset)

    def error(self, offset: int, message: str) -> None:
        self.problems.add(self.line_of(offset), message)
        self.failed = True

    def read(self) -> Item | None:
        source, masked = self.source, self.masked
        pos = len(masked) - len(masked.lstrip(BLANKS))
        line = self.line_of(pos)
        title = ""
        if masked.startswith("::", pos):
            end = masked.find("::", pos + 2)
            if end < 0:
                self.error(pos, "thiếu dấu :: đóng tên câu hỏi")
                return None
            title = clean_text(unescape(source[pos + 2 : end]))
            pos = end + 2
        opening, closing = masked.find("{", pos), masked.find("}", pos)
        if opening < 0 and closing < 0:
            fmt, stem = split_format(source[pos:])
            return Description(
                stem=clean_text(unescape(stem)), title=title, format=fmt or "moodle", line=line
            )
        if closing >= 0 and (opening < 0 or closing < opening):
            self.error(closing, "dấu } không có dấu { mở tương ứng (viết \\} nếu là chữ)")
            return None
        if closing < 0:
            self.error(opening, "thiếu dấu } đóng khối đáp án")
            return None
        extra = re.search(r"[{}]", masked[closing + 1 :])
        if extra:
            self.error(
                closing + 1 + extra.start(),
                "mỗi câu hỏi chỉ có một khối đáp án {…}: các câu hỏi phải cách nhau một dòng "
                "trống, dấu { } trong chữ viết \\{ \\}",
            )
            return None
        after = source[closing + 1 :]
        stem_raw = source[pos:opening] + ("_____" + after if after.strip(BLANKS) else "")
        fmt, stem = split_format(stem_raw)
        common = dict(
            stem=clean_text(unescape(stem)), title=title, format=fmt or "moodle", line=line
        )
        item = self.answer_block(opening + 1, closing, common)
        return None if self.failed else item

    def answer_block(self, start: int, end: int, common: dict[str, Any]) -> Item | None:
        masked = self.masked
        general = masked.rfind("####", start, end)
        if general >= 0:
            common["explanation"] = _text(self.source[general + 4 : end])
            end = general
        block = masked[start:end].strip(BLANKS)
        if not block:
            return Essay(**common)
        if block.startswith("#"):
            return self.numerical(masked.index("#", start) + 1, end, common)
        if "~" in block:
            return self.choice(start, end, common)
        if "=" in block and "->" in block:
            spans = self.spans(start, end, "=")
            # Pairs never carry weights, so a weighted answer means short answers with arrows.
            if not any(_WEIGHT.match(masked, p.begin, p.stop) for p in spans):
                return self.matching(spans, common)
        head = block.split("#", 1)[0].strip(BLANKS)
        if head in _TRUE_FALSE:
            return self.true_false(start, end, common)
        return self.short(start, end, common)

    def spans(self, start: int, end: int, markers: str) -> list[_Part]:
        masked = self.masked
        cuts = [i for i in range(start, end) if masked[i] in markers]
        if len(cuts) > MAX_PARTS:
            self.error(start, f"câu hỏi có quá nhiều phương án hay đáp án (tối đa {MAX_PARTS})")
            return []
        bounds = [("", start), *((masked[i], i + 1) for i in cuts)]
        spans = []
        for index, (marker, begin) in enumerate(bounds):
            stop = cuts[index] if index < len(cuts) else end
            if marker or masked[begin:stop].strip(BLANKS):
                spans.append(_Part(marker, begin, stop))
        return spans

    def parts(self, start: int, end: int, markers: str) -> list[_Part]:
        spans = self.spans(start, end, markers)
        for part in spans:
            begin = part.begin
            weight = _WEIGHT.match(self.masked, begin, part.stop)
            if weight is not None:
                part.weight = parse_weight(weight[1])
                if part.weight is None:
                    self.error(begin, f"trọng số không hợp lệ: %{weight[1]}% (ví dụ %50%, %-25%)")
                begin = weight.end()
            hash_at = self.masked.find("#", begin, part.stop)
            part.text = _text(self.source[begin : part.stop if hash_at < 0 else hash_at])
            if hash_at >= 0:
                part.feedback = _text(self.source[hash_at + 1 : part.stop])
        return spans

    def choice(self, start: int, end: int, common: dict[str, Any]) -> Item | None:
        parts = self.parts(start, end, "~=")
        if parts and not parts[0].marker:
            self.error(
                parts[0].begin, "có chữ thừa trước đáp án đầu tiên (đáp án bắt đầu bằng ~ hoặc =)"
            )
            return None
        options = [
            Option(
                text=p.text,
                weight=p.weight if p.weight is not None else (100.0 if p.marker == "=" else 0.0),
                feedback=p.feedback,
            )
            for p in parts
        ]
        single = any(p.marker == "=" for p in parts)
        return (SingleChoice if single else MultipleChoice)(**common, options=options)

    def matching(self, spans: list[_Part], common: dict[str, Any]) -> Item | None:
        pairs = []
        for span in spans:
            if not span.marker:
                self.error(span.begin, "có chữ thừa trước cặp ghép đầu tiên (cặp bắt đầu bằng =)")
                return None
            arrow = self.masked.find("->", span.begin, span.stop)
            if arrow < 0:
                self.error(span.begin, "cặp ghép thiếu dấu -> giữa vế trái và vế phải")
                return None
            # Pairs have no feedback: a `#` stays part of the text, as in Moodle.
            left = _text(self.source[span.begin : arrow])
            right = clean_text(unescape(self.source[arrow + 2 : span.stop]))
            pairs.append(Pair(left=left, right=right))
        return Matching(**common, pairs=pairs)

    def true_false(self, start: int, end: int, common: dict[str, Any]) -> Item:
        masked = self.masked
        cuts = [i for i in range(start, end) if masked[i] == "#"][:2]
        bounds = [start, *(i + 1 for i in cuts)]
        stops = [*cuts, end]
        pieces = [self.source[b:s] for b, s in zip(bounds, stops, strict=True)]
        answer = _TRUE_FALSE[pieces[0].strip(BLANKS)]
        wrong = _text(pieces[1]) if len(pieces) > 1 else ""
        right = _text(pieces[2]) if len(pieces) > 2 else ""
        # Moodle reads {T#a#b} as: a for the wrong choice, b for the right one.
        if answer:
            return TrueFalse(**common, answer=True, feedback_true=right, feedback_false=wrong)
        return TrueFalse(**common, answer=False, feedback_true=wrong, feedback_false=right)

    def short(self, start: int, end: int, common: dict[str, Any]) -> Item | None:
        parts = self.parts(start, end, "=")
        answers = [
            TextAnswer(
                text=p.text, weight=100.0 if p.weight is None else p.weight, feedback=p.feedback
            )
            for p in parts
        ]
        return ShortAnswer(**common, answers=answers)

    def numerical(self, start: int, end: int, common: dict[str, Any]) -> Item | None:
        answers = []
        for part in self.parts(start, end, "=~"):
            if part.marker == "~":
                if part.text not in {"", "*"}:
                    self.error(part.begin, "đáp án ~ của câu hỏi số chỉ ghi phản hồi: ~#phản hồi")
                    continue
                weight = 0.0 if part.weight is None else part.weight
                answers.append(
                    NumericAnswer(min=None, max=None, weight=weight, feedback=part.feedback)
                )
                continue
            spec = numeric_spec(part.text)
            if spec is None:
                self.error(
                    part.begin,
                    f"đáp án số không hợp lệ: {part.text!r} (ví dụ 1822, 3.14:0.01 hoặc 1..5)",
                )
                continue
            weight = 100.0 if part.weight is None else part.weight
            answers.append(
                NumericAnswer(min=spec[0], max=spec[1], weight=weight, feedback=part.feedback)
            )
        return Numerical(**common, answers=answers)
