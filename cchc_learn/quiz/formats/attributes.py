"""Item metadata shared by the Markdown front matter and the `{key=value}` attribute line."""

from __future__ import annotations

import re
from typing import Any

from ..questions import BLANKS, DIFFICULTY_MAX, DIFFICULTY_MIN, FORMATS, TYPES, clean_text

ITEM_KEYS = ("type", "title", "id", "tags", "topic", "difficulty", "ref", "format", "diacritics")
DIACRITICS = {"insensitive": True, "sensitive": False}
_TOKEN = re.compile(r'([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))(?=\s|$)')
_UNQUOTED_OK = re.compile(r'[^\s"\\{}]+')


def meta_value(key: str, value: Any) -> Any:
    """Convert one metadata value to what the item stores; raise ValueError in Vietnamese."""
    if isinstance(value, bool) or value is None and key != "tags":
        raise ValueError(f"giá trị của {key} không hợp lệ: {value!r}")
    if key == "tags":
        if value is None:
            return []
        parts = value if isinstance(value, list) else str(value).split(",")
        if not all(isinstance(p, str | int | float) and not isinstance(p, bool) for p in parts):
            raise ValueError("tags phải là danh sách nhãn, ví dụ tags=a,b")
        return [tag for tag in (clean_text(str(p)) for p in parts) if tag]
    if isinstance(value, list | dict):
        raise ValueError(f"giá trị của {key} phải là một chuỗi, không phải danh sách")
    text = clean_text(str(value))
    if key == "difficulty":
        if not re.fullmatch(r"\d{1,3}", text) or not (
            DIFFICULTY_MIN <= int(text) <= DIFFICULTY_MAX
        ):
            raise ValueError(
                f"độ khó phải là số nguyên từ {DIFFICULTY_MIN} đến {DIFFICULTY_MAX}: {text!r}"
            )
        return int(text)
    if key == "type" and text not in TYPES:
        raise ValueError(f"loại câu hỏi không hợp lệ: {text!r} (dùng {', '.join(TYPES)})")
    if key == "format" and text not in FORMATS:
        raise ValueError(f"định dạng không hợp lệ: {text!r} (dùng {', '.join(FORMATS)})")
    if key == "diacritics":
        if text not in DIACRITICS:
            raise ValueError("diacritics chỉ nhận insensitive hoặc sensitive")
        return DIACRITICS[text]
    return text


def parse_attribute_line(line: str) -> tuple[dict[str, Any], list[str]]:
    """Parse `{key=value key="quoted value"}` into item metadata and a list of problems."""
    body = line.strip(BLANKS)
    if not body.endswith("}"):
        return {}, ["dòng thuộc tính phải kết thúc bằng dấu }"]
    inner = body[1:-1].strip(BLANKS)
    values: dict[str, Any] = {}
    errors: list[str] = []
    position = 0
    while position < len(inner):
        if inner[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(inner, position)
        if match is None:
            rest = inner[position:].split()[0]
            errors.append(f'thuộc tính viết sai: {rest!r} (dạng đúng: khoá=giá_trị hoặc khoá="…")')
            break
        position = match.end()
        key = match.group(1)
        raw = match.group(3)
        if raw is None:
            raw = re.sub(r"\\(.)", r"\1", match.group(2))
        if key not in ITEM_KEYS:
            errors.append(f"thuộc tính không hợp lệ: {key!r} (dùng {', '.join(ITEM_KEYS)})")
        elif key in values:
            errors.append(f"thuộc tính {key} bị lặp")
        else:
            try:
                values[key] = meta_value(key, raw)
            except ValueError as exc:
                errors.append(str(exc))
    return values, errors


def quote(value: str) -> str:
    """Spell an attribute value, quoting it only when it has to be."""
    if _UNQUOTED_OK.fullmatch(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_attribute_line(pairs: list[tuple[str, str]]) -> str:
    """Write `{key=value …}` for the given key and text value pairs."""
    return "{" + " ".join(f"{key}={quote(value)}" for key, value in pairs) + "}"
