"""Items as the spec's question JSON: a list of objects, one per item."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from ..questions import TYPES, Item, normalize_item, question_type, validate_item
from .bank import check_unique_ids
from .errors import Problems
from .source import MAX_BANK_CHARS

_COMMON = ("stem", "title", "id", "topic", "explanation", "ref", "format")
_OUTPUT_ONLY = {"auto_graded"}
_WANTED = {"text": "chuỗi", "number": "số", "bool": "true/false", "bound": "số hoặc null"}


def item_to_json(item: Item) -> dict[str, Any]:
    """Return the JSON object of one item."""
    data: dict[str, Any] = {
        "type": item.type,
        "title": item.title,
        "stem": item.stem,
        "id": item.id,
        "tags": list(item.tags),
        "topic": item.topic,
        "difficulty": item.difficulty,
        "explanation": item.explanation,
        "ref": item.ref,
        "format": item.format,
        "auto_graded": item.auto_graded,
    }
    kind = question_type(item.type)
    if kind.json_parts is not None:
        key, _, names = kind.json_parts
        data[key] = [{name: getattr(part, name) for name in names} for part in getattr(item, key)]
    data.update({name: getattr(item, name) for name in kind.json_fields})
    return data


def items_to_json(items: Iterable[Item]) -> list[dict[str, Any]]:
    """Return the JSON list of items (what `quiz export --format json` prints)."""
    return [item_to_json(item) for item in items]


def dumps_items(items: Iterable[Item]) -> str:
    """Serialise items as readable UTF-8 JSON text."""
    return json.dumps(items_to_json(items), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def loads_items(text: str, path: str = "<json>") -> list[Item]:
    """Parse JSON text into items; raise QuestionFormatError listing every problem."""
    problems = Problems(path)
    if len(text) > MAX_BANK_CHARS:
        problems.add(None, "tệp quá lớn")
        problems.raise_if_any()
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        problems.add(line, f"JSON không hợp lệ: {getattr(exc, 'msg', 'lồng quá sâu')}")
        problems.raise_if_any()
    return items_from_json(data, path)


def items_from_json(data: Any, path: str = "<json>") -> list[Item]:
    """Build items from decoded question JSON; raise QuestionFormatError listing every problem."""
    problems = Problems(path)
    if not isinstance(data, list):
        problems.add(None, "JSON phải là một danh sách câu hỏi")
        problems.raise_if_any()
    items = []
    for number, entry in enumerate(data, start=1):
        errors: list[str] = []
        item = _item_from(entry, errors)
        if item is not None and not errors:
            item = normalize_item(item)
            errors += validate_item(item)
        for message in errors:
            problems.add(None, f"câu {number}: {message}")
        if item is not None and not errors:
            items.append(item)
    check_unique_ids(items, problems)
    problems.raise_if_any()
    return items


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check(value: Any, name: str, kind: str, errors: list[str]) -> Any:
    ok = {
        "text": isinstance(value, str),
        "number": _is_number(value),
        "bool": isinstance(value, bool),
        "bound": value is None or _is_number(value),
    }[kind]
    if not ok:
        errors.append(f"trường {name!r} phải là {_WANTED[kind]}")
    return value


def _item_from(entry: Any, errors: list[str]) -> Item | None:
    if not isinstance(entry, dict):
        errors.append("mỗi câu hỏi phải là một đối tượng JSON")
        return None
    type_name = entry.get("type")
    qtype = TYPES.get(type_name) if isinstance(type_name, str) else None
    if qtype is None:
        errors.append(f"loại câu hỏi không hợp lệ: {type_name!r}")
        return None
    cls = qtype.item_class
    allowed = {"type", "tags", "difficulty", *_COMMON, *_OUTPUT_ONLY}
    kwargs: dict[str, Any] = {"stem": ""}
    for name in _COMMON:
        if name in entry:
            kwargs[name] = _check(entry[name], name, "text", errors)
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        errors.append("trường 'tags' phải là danh sách chuỗi")
    else:
        kwargs["tags"] = list(tags)
    difficulty = entry.get("difficulty")
    if difficulty is not None and (isinstance(difficulty, bool) or not isinstance(difficulty, int)):
        errors.append("trường 'difficulty' phải là số nguyên hoặc null")
    else:
        kwargs["difficulty"] = difficulty
    if qtype.json_parts is not None:
        key, part_cls, names = qtype.json_parts
        allowed.add(key)
        parts = entry.get(key)
        if not isinstance(parts, list):
            errors.append(f"trường {key!r} phải là danh sách")
        else:
            kwargs[key] = []
            for index, part in enumerate(parts, start=1):
                values = _part_from(part, f"{key}[{index}]", names, errors)
                if values is not None:
                    kwargs[key].append(part_cls(**values))
    for name, message in qtype.json_required.items():
        if name not in entry:
            errors.append(message)
    allowed.update(qtype.json_fields)
    kwargs.update(
        {
            name: _check(entry[name], name, field_kind, errors)
            for name, field_kind in qtype.json_fields.items()
            if name in entry
        }
    )
    unknown = sorted(set(entry) - allowed)
    if unknown:
        errors.append(f"trường không hợp lệ: {', '.join(map(repr, unknown))}")
    return None if errors else cls(**kwargs)


def _part_from(part: Any, where: str, names: dict[str, str], errors: list[str]) -> dict | None:
    """The fields of one option, answer or pair; None (an error recorded) when malformed."""
    if not isinstance(part, dict) or set(part) - set(names):
        errors.append(f"{where} phải là đối tượng với các trường {', '.join(names)}")
        return None
    values = {
        n: _check(part[n], f"{where}.{n}", kind, errors) for n, kind in names.items() if n in part
    }
    for name, kind in names.items():
        # Required fields missing from the JSON: the item's checks then name what is wrong.
        if kind == "text":
            values.setdefault(name, "")
        elif kind == "bound":
            values.setdefault(name, None)
    return values


def stored_item(data: dict[str, Any]) -> Item:
    """Rebuild an item from its question JSON as stored in the database."""
    return items_from_json([data], "<cơ sở dữ liệu>")[0]
