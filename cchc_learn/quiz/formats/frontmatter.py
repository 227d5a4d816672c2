"""The YAML front matter of a Markdown bank: bank-wide facts and defaults for every item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...content.frontmatter import (
    ALIAS,
    NOT_MAPPING,
    TAG,
    TOO_LONG,
    UNCLOSED,
    FrontMatterError,
    read_header,
)
from ...textnorm import is_slug
from ..questions import clean_text
from .attributes import meta_value
from .errors import Problems

MAX_FRONT_MATTER_CHARS = 16_384
BANK_KEYS = ("bank", "title", "description")
DEFAULT_KEYS = ("topic", "difficulty", "ref", "tags", "format", "diacritics")


@dataclass
class FrontMatter:
    """What the front matter says: the bank's own facts and item defaults."""

    bank: str | None = None
    title: str = ""
    description: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)


def _problem(exc: FrontMatterError) -> tuple[int, str]:
    if exc.reason == UNCLOSED:
        return 1, "front matter chưa đóng: thiếu dòng --- kết thúc"
    if exc.reason == TOO_LONG:
        return 1, f"front matter quá dài (tối đa {MAX_FRONT_MATTER_CHARS} ký tự)"
    if exc.reason == NOT_MAPPING:
        return 1, "front matter phải là các cặp khoá: giá trị"
    if exc.reason == ALIAS:
        reason = "không dùng bí danh (alias) YAML"
    elif exc.reason == TAG:
        reason = f"không dùng thẻ YAML {exc.detail}"
    else:
        reason = exc.detail
    return exc.line or 1, f"front matter YAML không hợp lệ: {reason}"


def split_front_matter(lines: list[str], problems: Problems) -> tuple[FrontMatter, int]:
    """Read front matter at the top of lines; return it and the index where the body starts."""
    try:
        header = read_header(lines, max_chars=MAX_FRONT_MATTER_CHARS)
    except FrontMatterError as exc:
        problems.add(*_problem(exc))
        return FrontMatter(), (len(lines) if exc.reason == UNCLOSED else exc.end + 1)
    if header is None:
        return FrontMatter(), 0
    return _read_mapping(header.meta, problems), header.end + 1


def _read_mapping(data: dict[str, Any], problems: Problems) -> FrontMatter:
    front = FrontMatter()
    allowed = BANK_KEYS + DEFAULT_KEYS
    for key, value in data.items():
        if key not in allowed:
            problems.add(
                1, f"khoá không hợp lệ trong front matter: {key!r} (dùng {', '.join(allowed)})"
            )
            continue
        if key in BANK_KEYS:
            if not isinstance(value, str | int) or isinstance(value, bool):
                problems.add(1, f"front matter: {key} phải là một chuỗi")
                continue
            text = clean_text(str(value))
            if key == "bank" and not is_slug(text):
                problems.add(
                    1,
                    f"mã ngân hàng (bank) chỉ gồm chữ thường không dấu, chữ số và dấu -: {text!r}",
                )
                continue
            setattr(front, key, text)
            continue
        try:
            front.defaults[key] = meta_value(key, value)
        except ValueError as exc:
            problems.add(1, f"front matter: {exc}")
    return front
