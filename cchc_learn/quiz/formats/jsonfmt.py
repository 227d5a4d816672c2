"""Items as the spec's question JSON: a list of objects, one per item."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from ..items import (
    ITEM_CLASSES,
    ChoiceItem,
    Item,
    Matching,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    ShortAnswer,
    TextAnswer,
    TrueFalse,
    normalize_item,
    validate_item,
)
from .bank import check_unique_ids
from .errors import Problems
from .source import MAX_BANK_CHARS

_COMMON = ("stem", "title", "id", "topic", "explanation", "ref", "format")
_OUTPUT_ONLY = {"auto_graded"}
_PARTS: dict[type, tuple[str, type, tuple[str, ...]]] = {
    ChoiceItem: ("options", Option, ("text", "weight", "feedback")),
    ShortAnswer: ("answers", TextAnswer, ("text", "weight", "feedback")),
    Numerical: ("answers", NumericAnswer, ("min", "max", "weight", "feedback")),
    Matching: ("pairs", Pair, ("left", "right")),
}
_EXTRA = {
    TrueFalse: ("answer", "feedback_true", "feedback_false"),
    ShortAnswer: ("diacritics_insensitive",),
}


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
    for cls, (key, _, names) in _PARTS.items():
        if isinstance(item, cls):
            data[key] = [
                {name: getattr(part, name) for name in names} for part in getattr(item, key)
            ]
    for cls, names in _EXTRA.items():
        if isinstance(item, cls):
            data.update({name: getattr(item, name) for name in names})
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
        wanted = {"text": "chuỗi", "number": "số", "bool": "true/false", "bound": "số hoặc null"}
        errors.append(f"trường {name!r} phải là {wanted[kind]}")
    return value


def _kind_of(name: str) -> str:
    if name in {"weight"}:
        return "number"
    if name in {"min", "max"}:
        return "bound"
    if name in {"answer", "diacritics_insensitive"}:
        return "bool"
    return "text"


def _item_from(entry: Any, errors: list[str]) -> Item | None:
    if not isinstance(entry, dict):
        errors.append("mỗi câu hỏi phải là một đối tượng JSON")
        return None
    kind = entry.get("type")
    cls = ITEM_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        errors.append(f"loại câu hỏi không hợp lệ: {entry.get('type')!r}")
        return None
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
    for base, (key, part_cls, names) in _PARTS.items():
        if not issubclass(cls, base):
            continue
        allowed.add(key)
        parts = entry.get(key)
        if not isinstance(parts, list):
            errors.append(f"trường {key!r} phải là danh sách")
            continue
        kwargs[key] = []
        for index, part in enumerate(parts, start=1):
            if not isinstance(part, dict) or set(part) - set(names):
                errors.append(f"{key}[{index}] phải là đối tượng với các trường {', '.join(names)}")
                continue
            values = {
                n: _check(part[n], f"{key}[{index}].{n}", _kind_of(n), errors)
                for n in names
                if n in part
            }
            for name in names:
                if name in {"text", "left", "right"}:
                    values.setdefault(name, "")
                elif name in {"min", "max"}:
                    values.setdefault(name, None)
            kwargs[key].append(part_cls(**values))
    if cls is TrueFalse and "answer" not in entry:
        errors.append("câu Đúng/Sai thiếu trường 'answer' (true hoặc false)")
    for base, names in _EXTRA.items():
        if issubclass(cls, base):
            allowed.update(names)
            kwargs.update(
                {n: _check(entry[n], n, _kind_of(n), errors) for n in names if n in entry}
            )
    unknown = sorted(set(entry) - allowed)
    if unknown:
        errors.append(f"trường không hợp lệ: {', '.join(map(repr, unknown))}")
    return None if errors else cls(**kwargs)
