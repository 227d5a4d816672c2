"""Read a content file: UTF-8 Markdown with a YAML front matter, safely and with line numbers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..numbers import vi_count

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 20_000


@dataclass(frozen=True)
class Problem:
    """One problem in a content file, printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Problems that stop a content file (or a whole tree) from loading."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class MarkdownFile:
    """A parsed content file."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a front-matter key (the opening line when absent)."""
        return self.key_lines.get(key, 1)


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


def _check_yaml_events(text: str, shown: str, first_line: int) -> None:
    # Tags can construct objects and aliases can expand exponentially: refuse both.
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = first_line + event.start_mark.line
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentError(
                [
                    Problem(
                        shown, line, "không được dùng neo/bí danh YAML (& và *) trong phần đầu tệp"
                    )
                ]
            )
        tag = getattr(event, "tag", None)
        if tag:
            raise ContentError([Problem(shown, line, f"không được dùng thẻ YAML {tag}")])


def parse_markdown(text: str, shown: str) -> MarkdownFile:
    """Split and parse the front matter of an already decoded content file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError([Problem(shown, 1, "thiếu phần đầu YAML (dòng đầu tiên phải là ---)")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise ContentError(
            [Problem(shown, 1, "phần đầu YAML không có dòng --- kết thúc")]
        ) from None
    header = "\n".join(lines[1:end])
    if len(header) > MAX_FRONT_MATTER_CHARS:
        raise ContentError([Problem(shown, 2, "phần đầu YAML quá dài")])
    try:
        _check_yaml_events(header, shown, 2)
        node = yaml.compose(header, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(header) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or "cú pháp không hợp lệ"
        raise ContentError([Problem(shown, line, f"lỗi cú pháp YAML: {reason}")]) from exc
    if not isinstance(meta, dict):
        raise ContentError([Problem(shown, 2, "phần đầu YAML phải là các cặp khóa: giá trị")])
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = 2 + key_node.start_mark.line
    body = "\n".join(lines[end + 1 :])
    return MarkdownFile(path=shown, meta=meta, body=body, body_line=end + 2, key_lines=key_lines)


def read_markdown_file(path: Path, shown: str | None = None) -> MarkdownFile:
    """Read and parse one content file; raise ContentError with path:line problems."""
    shown = shown or str(path)
    return parse_markdown(read_text(path, shown), shown)
