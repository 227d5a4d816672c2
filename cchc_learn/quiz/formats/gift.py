"""Read Moodle GIFT files into quiz items, the way Moodle's own importer reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..questions import BLANKS, MAX_PARTS, Item, clean_text, question_type, validate_item
from ..questions.notation import GIFT_TRUTH, unescape
from ..questions.numbers import parse_weight
from .attributes import meta_value
from .bank import MAX_ITEMS, TOO_MANY_ITEMS, Bank, check_unique_ids
from .errors import Problems
from .gift_text import mask, split_format, topic_from_category
from .source import source_lines

_META = re.compile(r"\[(id|tag|difficulty|ref|diacritics):([^\]\n]*)\]")
_WEIGHT = re.compile(r"[ \t\n]*%([^%\n]*)%")
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
        if question_type(item.type).diacritics:
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
    """Parse the text of one GIFT question (comments already blanked out).

    The question types read their own answer blocks through `parts`, `spans`, `text` and
    `error`; this class finds the block and decides which type it spells.
    """

    def __init__(self, source: str, line: int, problems: Problems) -> None:
        self.source, self.masked = source, mask(source)
        self.first_line, self.problems = line, problems
        self.failed = False
        self._spans: dict[tuple[int, int, str], list[_Part]] = {}

    def line_of(self, offset: int) -> int:
        return self.first_line + self.source.count("\n", 0, offset)

    def error(self, offset: int, message: str) -> None:
        """Record a problem at the line of offset; the question is then dropped."""
        self.problems.add(self.line_of(offset), message)
        self.failed = True

    def text(self, begin: int, stop: int) -> str:
        """The clean text of source[begin:stop]: format tag dropped, escapes resolved."""
        return _text(self.source[begin:stop])

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
            # No answer block at all: a description.
            fmt, stem = split_format(source[pos:])
            common = dict(
                stem=clean_text(unescape(stem)), title=title, format=fmt or "moodle", line=line
            )
            return question_type("description").from_gift(self, len(source), len(source), common)
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
        start, end = opening + 1, closing
        general = masked.rfind("####", start, end)
        if general >= 0:
            common["explanation"] = _text(source[general + 4 : end])
            end = general
        kind, start = self.block_type(start, end)
        item = question_type(kind).from_gift(self, start, end, common)
        return None if self.failed else item

    def block_type(self, start: int, end: int) -> tuple[str, int]:
        """The type an answer block spells, and where the type's own reading starts."""
        masked = self.masked
        block = masked[start:end].strip(BLANKS)
        if not block:
            return "essay", start
        if block.startswith("#"):
            return "numerical", masked.index("#", start) + 1
        if "~" in block:
            return "single", start  # or multiple: the choice type tells them apart
        if "=" in block and "->" in block:
            spans = self.spans(start, end, "=")
            # Pairs never carry weights, so a weighted answer means short answers with arrows.
            if not any(_WEIGHT.match(masked, p.begin, p.stop) for p in spans):
                return "matching", start
        head = block.split("#", 1)[0].strip(BLANKS)
        if head in GIFT_TRUTH:
            return "true_false", start
        return "short_answer", start

    def spans(self, start: int, end: int, markers: str) -> list[_Part]:
        """The answers of start..end cut at the markers (read once per block)."""
        key = (start, end, markers)
        if key not in self._spans:
            self._spans[key] = self._cut(start, end, markers)
        return self._spans[key]

    def _cut(self, start: int, end: int, markers: str) -> list[_Part]:
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
        """The answers of start..end with their weight, text and feedback read."""
        spans = [_Part(p.marker, p.begin, p.stop) for p in self.spans(start, end, markers)]
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
