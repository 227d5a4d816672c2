"""Read the project's Markdown question format (grammar: docs/question-format.md)."""

from __future__ import annotations

import re
from typing import Any

from ..items import (
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
from .attributes import parse_attribute_line
from .bank import MAX_ITEMS, TOO_MANY_ITEMS, Bank, check_unique_ids
from .entries import WEIGHT_SUFFIX, Entry, infer_type, numeric_spec, truth_value
from .errors import Problems
from .frontmatter import split_front_matter
from .numbers import parse_weight
from .source import source_lines

_HEADING = re.compile(r"##(?:[ \t]|$)")
_HEADING_TYPO = re.compile(r"#{2,}[^#\s]|#{3,}[ \t]")
_LIST = re.compile(r"-(?:[ \t]|$)")
_ANSWER = re.compile(r"=(?:[ \t]|$)")
_OPTION = re.compile(r"\[(?P<mark> |x|X|(?P<w>[-+]?\d+(?:[.,]\d+)?)[ \t]*%)\](?P<text>.*)", re.S)
_STRUCTURAL = ("-", "=", ">", "{")
_HEADING_HINT = (
    "câu hỏi mở bằng đúng hai dấu # và một dấu cách ('## '); "
    "nếu dòng này là nội dung, thêm \\ ở đầu dòng"
)


def parse_markdown(text: str, path: str = "<markdown>") -> Bank:
    """Parse a Markdown bank; raise QuestionFormatError listing every problem of the file."""
    problems = Problems(path)
    lines = source_lines(text, problems)
    front, start = split_front_matter(lines, problems)
    items: list[Item] = []
    heading_rows = [i for i in range(start, len(lines)) if _HEADING.match(lines[i])]
    if len(heading_rows) > MAX_ITEMS:
        problems.add(heading_rows[MAX_ITEMS] + 1, TOO_MANY_ITEMS)
        problems.raise_if_any()
    _check_preamble(lines, start, heading_rows[0] if heading_rows else len(lines), problems)
    for position, row in enumerate(heading_rows):
        end = heading_rows[position + 1] if position + 1 < len(heading_rows) else len(lines)
        item = _ItemReader(lines, row, end, front.defaults, problems).read()
        if item is not None:
            items.append(item)
    check_unique_ids(items, problems)
    problems.raise_if_any()
    return Bank(items=items, slug=front.bank, title=front.title, description=front.description)


def _check_preamble(lines: list[str], start: int, end: int, problems: Problems) -> None:
    for row in range(start, end):
        line = lines[row]
        if _HEADING_TYPO.match(line):
            problems.add(row + 1, _HEADING_HINT)
        elif line.startswith(_STRUCTURAL) and line.strip(" \t") not in {"---", "-"}:
            problems.add(row + 1, "dòng nằm ngoài mọi câu hỏi (mỗi câu hỏi mở bằng dòng '## ')")


def _dedent(line: str) -> str:
    if line.startswith("\t"):
        return line[1:]
    return line[min(2, len(line) - len(line.lstrip(" "))) :]


class _ItemReader:
    """Read the lines of one `##` section into an item, recording problems by line."""

    def __init__(
        self, lines: list[str], row: int, end: int, defaults: dict[str, Any], problems: Problems
    ) -> None:
        self.lines, self.row, self.end = lines, row, end
        self.defaults, self.problems = defaults, problems
        self.stem = [lines[row][2:]]
        self.attrs: dict[str, Any] = {}
        self.attrs_seen = False
        self.entries: list[Entry] = []
        self.explanation: list[str] = []
        self.failed = False

    def error(self, row: int, message: str) -> None:
        self.problems.add(row + 1, message)
        self.failed = True

    def read(self) -> Item | None:
        in_stem = True
        current: Entry | None = None
        blanks = 0
        for row in range(self.row + 1, self.end):
            line = self.lines[row]
            if not line.strip(" \t"):
                if in_stem:
                    self.stem.append("")
                else:
                    blanks += 1
                continue
            if line[0] in " \t" and not in_stem:
                self._continuation(row, line, current, blanks)
                blanks = 0
                continue
            blanks = 0
            if line[0] in " \t":
                self.stem.append(line)
                continue
            current = None
            if line.startswith("{"):
                self._attributes(row, line)
            elif line.startswith(">"):
                self.explanation.append(_quoted(line))
                in_stem = False
            elif _LIST.match(line) or _ANSWER.match(line):
                current = self._entry(row, line)
                in_stem = False
            elif _HEADING_TYPO.match(line):
                self.error(row, _HEADING_HINT)
            elif in_stem:
                self.stem.append(line[1:] if line.startswith("\\") else line)
            else:
                self.error(
                    row,
                    "dòng không thuộc phương án hay đáp án nào; nội dung câu hỏi phải đứng "
                    "trước các phương án, dòng thụt lề thuộc về phương án ngay trên",
                )
        return None if self.failed else self._build()

    def _continuation(self, row: int, line: str, current: Entry | None, blanks: int) -> None:
        if current is None:
            self.error(row, "dòng thụt lề không nằm dưới phương án hay đáp án nào")
            return
        content = _dedent(line)
        if content.lstrip(" \t").startswith(">"):
            current.feedback.extend([""] * blanks)
            current.feedback.append(_quoted(content.lstrip(" \t")))
        elif current.feedback:
            self.error(row, "văn bản của phương án phải đứng trước phản hồi (dòng >)")
        else:
            current.text.extend([""] * blanks)
            current.text.append(content[1:] if content.startswith("\\") else content)

    def _attributes(self, row: int, line: str) -> None:
        if self.attrs_seen:
            self.error(row, "mỗi câu hỏi chỉ có một dòng thuộc tính {…}")
            return
        self.attrs_seen = True
        values, errors = parse_attribute_line(line)
        for message in errors:
            self.error(row, message)
        self.attrs = values

    def _entry(self, row: int, line: str) -> Entry | None:
        if line.startswith("="):
            # Trailing blanks stay: with continuation lines they are a Markdown hard break.
            value = line[1:].lstrip(" \t")
            weight = None
            suffix = WEIGHT_SUFFIX.search(value)
            if suffix:
                weight = parse_weight(suffix["w"])
                value = value[: suffix.start()]
            entry = Entry("answer", row + 1, [value], weight=weight)
        else:
            content = line[2:]
            option = _OPTION.match(content)
            if option:
                mark = option["mark"].lower()
                weight = parse_weight(option["w"]) if option["w"] else None
                mark = "%" if weight is not None else mark
                entry = Entry(
                    "option", row + 1, [option["text"].lstrip(" \t")], mark=mark, weight=weight
                )
            else:
                content = content[1:] if content.startswith("\\") else content
                if "->" not in content:
                    self.error(
                        row,
                        "dòng '- …' không hợp lệ: phương án viết '- [ ] …', '- [x] …' hoặc "
                        "'- [50%] …'; cặp ghép viết '- trái -> phải'",
                    )
                    return None
                left, right = content.split("->", 1)
                entry = Entry("pair", row + 1, [left.strip(" \t")], right=right.strip(" \t"))
        self.entries.append(entry)
        if len(self.entries) == MAX_PARTS + 1:
            self.error(self.row, f"câu hỏi có quá nhiều phương án hay đáp án (tối đa {MAX_PARTS})")
        return entry

    def _build(self) -> Item | None:
        meta = {**self.defaults, **self.attrs}
        kind = self.attrs.get("type") or infer_type(self.entries)
        line = self.row + 1
        if kind is None:
            if not self.entries:
                self.error(
                    self.row, "câu hỏi không có phương án hay đáp án (hoặc ghi {type=essay})"
                )
            else:
                self.error(
                    self.row, "không trộn phương án '- [ ]', đáp án '= …' và cặp ghép trong một câu"
                )
            return None
        if "diacritics" in self.attrs and kind != "short_answer":
            self.error(self.row, "diacritics chỉ dùng cho câu trả lời ngắn (short_answer)")
        common = dict(
            stem=clean_text("\n".join(self.stem)),
            title=meta.get("title", ""),
            id=meta.get("id", ""),
            tags=list(meta.get("tags", [])),
            topic=meta.get("topic", ""),
            difficulty=meta.get("difficulty"),
            ref=meta.get("ref", ""),
            format=meta.get("format", "markdown"),
            explanation=clean_text("\n".join(self.explanation)),
            line=line,
        )
        item = _BUILDERS[kind](self, kind, common, meta)
        if item is None or self.failed:
            return None
        for message in validate_item(item):
            self.error(self.row, message)
        return None if self.failed else item

    def _only(self, kind: str, allowed: str, label: str) -> bool:
        for entry in self.entries:
            if entry.kind != allowed:
                self.error(entry.line - 1, f"câu hỏi loại {kind} chỉ gồm {label}")
                return False
        return True

    def _no_extras(self, entry: Entry, *, text: bool = True, feedback: bool = False) -> bool:
        if text and len(entry.text) > 1:
            self.error(entry.line - 1, "đáp án này phải nằm trên một dòng")
            return False
        if not feedback and entry.feedback:
            self.error(entry.line - 1, "đáp án này không có phản hồi (dòng >)")
            return False
        return True

    def build_choice(self, kind: str, common: dict, meta: dict) -> Item | None:
        if not self._only(kind, "option", "các phương án '- [ ] …' / '- [x] …'"):
            return None
        ticked = [e for e in self.entries if e.mark == "x"]
        share = 100.0
        if kind == "multiple" and ticked:
            if any(e.weight is not None and e.weight > 0 for e in self.entries):
                self.error(
                    self.row,
                    "câu nhiều đáp án: hoặc đánh [x] mọi đáp án đúng, hoặc ghi trọng số "
                    "[50%] cho từng đáp án đúng, không trộn hai cách",
                )
                return None
            share = 100.0 / len(ticked)
        options = [
            Option(
                text=clean_text("\n".join(e.text)),
                weight=share if e.mark == "x" else (e.weight or 0.0),
                feedback=clean_text("\n".join(e.feedback)),
            )
            for e in self.entries
        ]
        cls = MultipleChoice if kind == "multiple" else SingleChoice
        return cls(**common, options=options)

    def build_true_false(self, kind: str, common: dict, meta: dict) -> Item | None:
        if all(e.kind == "answer" for e in self.entries) and len(self.entries) == 1:
            entry = self.entries[0]
            value = truth_value("\n".join(entry.text))
            if value is None or entry.weight is not None:
                self.error(entry.line - 1, "câu Đúng/Sai ghi '= Đúng' hoặc '= Sai'")
                return None
            if entry.feedback:
                self.error(
                    entry.line - 1,
                    "phản hồi của câu Đúng/Sai viết dưới phương án: '- [x] Đúng' / '- [ ] Sai'",
                )
                return None
            return TrueFalse(**common, answer=value)
        values = [truth_value("\n".join(e.text)) for e in self.entries]
        if (
            len(self.entries) != 2
            or any(e.kind != "option" or e.mark not in {"x", " "} for e in self.entries)
            or set(values) != {True, False}
            or sum(e.mark == "x" for e in self.entries) != 1
        ):
            self.error(
                self.row,
                "câu Đúng/Sai ghi '= Đúng' / '= Sai', hoặc đúng hai phương án "
                "'- [x] Đúng' và '- [ ] Sai' (một phương án được đánh [x])",
            )
            return None
        feedback = {
            v: clean_text("\n".join(e.feedback)) for v, e in zip(values, self.entries, strict=True)
        }
        answer = next(v for v, e in zip(values, self.entries, strict=True) if e.mark == "x")
        return TrueFalse(
            **common, answer=answer, feedback_true=feedback[True], feedback_false=feedback[False]
        )

    def build_short(self, kind: str, common: dict, meta: dict) -> Item | None:
        if not self._only("short_answer", "answer", "các dòng đáp án '= …'"):
            return None
        answers = [
            TextAnswer(
                text=clean_text("\n".join(e.text)),
                weight=100.0 if e.weight is None else e.weight,
                feedback=clean_text("\n".join(e.feedback)),
            )
            for e in self.entries
        ]
        return ShortAnswer(
            **common, answers=answers, diacritics_insensitive=meta.get("diacritics", False)
        )

    def build_numerical(self, kind: str, common: dict, meta: dict) -> Item | None:
        if not self._only("numerical", "answer", "các dòng đáp án số '= …'"):
            return None
        answers = []
        for entry in self.entries:
            if not self._no_extras(entry, feedback=True):
                return None
            spec = numeric_spec(entry.text[0])
            if spec is None:
                self.error(
                    entry.line - 1,
                    f"đáp án số không hợp lệ: {entry.text[0]!r} "
                    "(viết 360, 3,14 ± 0,01, 1..5 hoặc *)",
                )
                return None
            answers.append(
                NumericAnswer(
                    min=spec[0],
                    max=spec[1],
                    weight=100.0 if entry.weight is None else entry.weight,
                    feedback=clean_text("\n".join(entry.feedback)),
                )
            )
        return Numerical(**common, answers=answers)

    def build_matching(self, kind: str, common: dict, meta: dict) -> Item | None:
        if not self._only("matching", "pair", "các cặp ghép '- trái -> phải'"):
            return None
        if not all(self._no_extras(e) for e in self.entries):
            return None
        pairs = [Pair(left=clean_text(e.text[0]), right=clean_text(e.right)) for e in self.entries]
        return Matching(**common, pairs=pairs)

    def build_text_only(self, kind: str, common: dict, meta: dict) -> Item | None:
        if self.entries:
            self.error(
                self.entries[0].line - 1, f"câu hỏi loại {kind} không có phương án hay đáp án"
            )
            return None
        return (Essay if kind == "essay" else Description)(**common)


def _quoted(line: str) -> str:
    text = line[1:]
    return text[1:] if text.startswith(" ") else text


_BUILDERS = {
    "single": _ItemReader.build_choice,
    "multiple": _ItemReader.build_choice,
    "true_false": _ItemReader.build_true_false,
    "short_answer": _ItemReader.build_short,
    "numerical": _ItemReader.build_numerical,
    "matching": _ItemReader.build_matching,
    "essay": _ItemReader.build_text_only,
    "description": _ItemReader.build_text_only,
}
