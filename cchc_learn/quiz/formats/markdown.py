"""Read the project's Markdown question format (grammar: docs/question-format.md)."""

from __future__ import annotations

import re
from typing import Any

from ..questions import MAX_PARTS, Item, clean_text, question_type, validate_item
from ..questions.notation import WEIGHT_SUFFIX, Entry
from ..questions.numbers import parse_weight
from .attributes import parse_attribute_line
from .bank import MAX_ITEMS, TOO_MANY_ITEMS, Bank, check_unique_ids
from .entries import infer_type
from .errors import Problems
from .frontmatter import split_front_matter
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
    """Read the lines of one `##` section into an item, recording problems by line.

    The item's type builds the item from the answer lines (`entries`) through `only`,
    `no_extras` and `error`.
    """

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
        """Record a problem at row (counted from 0); the item is then dropped."""
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
        if "diacritics" in self.attrs and not question_type(kind).diacritics:
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
        item = question_type(kind).from_markdown(self, common, meta)
        if item is None or self.failed:
            return None
        for message in validate_item(item):
            self.error(self.row, message)
        return None if self.failed else item

    def only(self, kind: str, allowed: str, label: str) -> bool:
        """Whether every answer line is of the allowed kind (an error names the first other)."""
        for entry in self.entries:
            if entry.kind != allowed:
                self.error(entry.line - 1, f"câu hỏi loại {kind} chỉ gồm {label}")
                return False
        return True

    def no_extras(self, entry: Entry, *, text: bool = True, feedback: bool = False) -> bool:
        """Whether entry has one line of text (if `text`) and no feedback (unless `feedback`)."""
        if text and len(entry.text) > 1:
            self.error(entry.line - 1, "đáp án này phải nằm trên một dòng")
            return False
        if not feedback and entry.feedback:
            self.error(entry.line - 1, "đáp án này không có phản hồi (dòng >)")
            return False
        return True


def _quoted(line: str) -> str:
    text = line[1:]
    return text[1:] if text.startswith(" ") else text
