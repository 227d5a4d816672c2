"""The YAML front matter of a Markdown bank: bank-wide facts and defaults for every item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent

from ..items import clean_text
from .attributes import meta_value
from .errors import Problems

MAX_FRONT_MATTER_CHARS = 16_384
BANK_KEYS = ("bank", "title", "description")
DEFAULT_KEYS = ("topic", "difficulty", "ref", "tags", "format", "diacritics")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that also refuses anchors and aliases (no billion laughs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "không dùng bí danh (alias) YAML", event.start_mark
            )
        return super().compose_node(parent, index)


@dataclass
class FrontMatter:
    """What the front matter says: the bank's own facts and item defaults."""

    bank: str | None = None
    title: str = ""
    description: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)


def split_front_matter(lines: list[str], problems: Problems) -> tuple[FrontMatter, int]:
    """Read front matter at the top of lines; return it and the index where the body starts."""
    if not lines or lines[0].rstrip(" \t") != "---":
        return FrontMatter(), 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip(" \t") in {"---", "..."}), None)
    if end is None:
        problems.add(1, "front matter chưa đóng: thiếu dòng --- kết thúc")
        return FrontMatter(), len(lines)
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER_CHARS:
        problems.add(1, f"front matter quá dài (tối đa {MAX_FRONT_MATTER_CHARS} ký tự)")
        return FrontMatter(), end + 1
    try:
        data = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = 2 + mark.line if mark is not None else 1
        reason = getattr(exc, "problem", None) or "cú pháp không hợp lệ"
        problems.add(line, f"front matter YAML không hợp lệ: {reason}")
        return FrontMatter(), end + 1
    return _read_mapping(data, problems), end + 1


def _read_mapping(data: Any, problems: Problems) -> FrontMatter:
    front = FrontMatter()
    if data is None:
        return front
    if not isinstance(data, dict):
        problems.add(1, "front matter phải là các cặp khoá: giá trị")
        return front
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
            if key == "bank" and not _SLUG.fullmatch(text):
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
