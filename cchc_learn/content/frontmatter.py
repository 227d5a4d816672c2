"""Read the YAML front matter of a file, safely, size-capped and with line numbers.

`read_header` is the one reader: content files (`read_markdown_file`) and question banks word its
failures each in their own way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..numbers import vi_count
from .problems import ContentError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 20_000

# Why a header could not be read (FrontMatterError.reason).
UNCLOSED = "unclosed"
TOO_LONG = "too_long"
ALIAS = "alias"
TAG = "tag"
SYNTAX = "syntax"
NOT_MAPPING = "not_mapping"


class FrontMatterError(Exception):
    """A header that cannot be read: why, on which line (None: YAML did not say) and details."""

    def __init__(self, reason: str, line: int | None, detail: str = "", *, end: int = 0) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.line, self.detail = reason, line, detail
        self.end = end  # index of the closing --- line (0 when there is none)


@dataclass
class Header:
    """A front matter that was read: its mapping, where each key sits, where it ends."""

    meta: dict[str, Any]
    key_lines: dict[str, int]
    entry_lines: dict[str, list[int]]
    end: int  # index of the closing --- line


def _is_fence(line: str, marks: tuple[str, ...] = ("---",)) -> bool:
    # YAML's own document markers start at column 0; blanks after them are forgiven.
    return line.rstrip(" \t") in marks


def _refuse_unsafe(text: str, first_line: int) -> None:
    # Tags can construct objects and aliases can expand exponentially: refuse both, and anchors
    # with them, before anything is built.
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = first_line + event.start_mark.line
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterError(ALIAS, line)
        tag = getattr(event, "tag", None)
        if tag:
            raise FrontMatterError(TAG, line, tag)


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2026-02-30) are YAML errors with a line, not crashes."""

    def construct_yaml_timestamp(self, node):  # noqa: D102 - PyYAML's hook
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"ngày không tồn tại: {node.value}", node.start_mark
            ) from exc


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)


def _load(text: str, first_line: int, end: int) -> tuple[Any, yaml.Node | None]:
    try:
        _refuse_unsafe(text, first_line)
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except FrontMatterError as exc:
        exc.end = end
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else None
        reason = getattr(exc, "problem", None) or "cú pháp không hợp lệ"
        raise FrontMatterError(SYNTAX, line, reason, end=end) from exc
    return data, node


def read_header(lines: list[str], *, max_chars: int) -> Header | None:
    """Read the front matter between the first line `---` and the next `---` (or `...`).

    Return None when the first line opens none; raise FrontMatterError when it cannot be read.
    """
    if not lines or not _is_fence(lines[0]):
        return None
    end = next((i for i in range(1, len(lines)) if _is_fence(lines[i], ("---", "..."))), None)
    if end is None:
        raise FrontMatterError(UNCLOSED, 1)
    text = "\n".join(lines[1:end])
    if len(text) > max_chars:
        raise FrontMatterError(TOO_LONG, 2, end=end)
    data, node = _load(text, 2, end)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(NOT_MAPPING, 2, end=end)
    key_lines: dict[str, int] = {}
    entry_lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = 2 + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                entry_lines[key] = [2 + entry.start_mark.line for entry in value_node.value]
    return Header(data, key_lines, entry_lines, end)


@dataclass
class MarkdownFile:
    """A parsed content file."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)
    entry_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a front-matter key (the opening line when absent)."""
        return self.key_lines.get(key, 1)

    def lines_of_entries(self, key: str) -> list[int]:
        """The line of each entry of a front-matter list (empty when the key holds none)."""
        return self.entry_lines.get(key, [])


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file (BOM and CRLF tolerated), NFC-normalised; raise ContentError."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError([Problem(shown, 1, f"không đọc được tệp ({exc.strerror})")]) from exc
    if size > MAX_FILE_BYTES:
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    f"tệp quá lớn ({vi_count(size)} byte; tối đa {vi_count(MAX_FILE_BYTES)} byte)",
                )
            ]
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            [Problem(shown, line, "tệp không phải mã UTF-8; hãy lưu lại với bảng mã UTF-8")]
        ) from exc
    if "\x00" in text:
        raise ContentError([Problem(shown, 1, "tệp chứa ký tự NUL (không phải văn bản)")])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _message(exc: FrontMatterError) -> str:
    if exc.reason == UNCLOSED:
        return "phần đầu YAML không có dòng --- kết thúc"
    if exc.reason == TOO_LONG:
        return "phần đầu YAML quá dài"
    if exc.reason == ALIAS:
        return "không được dùng neo/bí danh YAML (& và *) trong phần đầu tệp"
    if exc.reason == TAG:
        return f"không được dùng thẻ YAML {exc.detail}"
    if exc.reason == NOT_MAPPING:
        return "phần đầu YAML phải là các cặp khóa: giá trị"
    return f"lỗi cú pháp YAML: {exc.detail}"


def parse_markdown(text: str, shown: str) -> MarkdownFile:
    """Split and parse the front matter of an already decoded content file."""
    lines = text.split("\n")
    try:
        header = read_header(lines, max_chars=MAX_FRONT_MATTER_CHARS)
    except FrontMatterError as exc:
        line = exc.line if exc.line is not None else 2
        raise ContentError([Problem(shown, line, _message(exc))]) from exc
    if header is None:
        raise ContentError([Problem(shown, 1, "thiếu phần đầu YAML (dòng đầu tiên phải là ---)")])
    return MarkdownFile(
        path=shown,
        meta=header.meta,
        body="\n".join(lines[header.end + 1 :]),
        body_line=header.end + 2,
        key_lines=header.key_lines,
        entry_lines=header.entry_lines,
    )


def read_markdown_file(path: Path, shown: str | None = None) -> MarkdownFile:
    """Read and parse one content file; raise ContentError with path:line problems."""
    shown = shown or str(path)
    return parse_markdown(read_text(path, shown), shown)
