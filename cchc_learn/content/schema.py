"""State a front-matter schema once (keys, types, ranges, required or default); read files by it.

A feature declares `Schema({"title": Text(max=200, required=True), ...})`; `read` returns the
values and every problem as `path:line: message`. Messages are templates filled with `key`,
`value`, the field's own limits (`max`, `low`, `high`, `choices`) and, for too long texts,
`length`; a feature passes its own wording where it has one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..textnorm import is_slug
from .problems import Problem

MISSING = "thiếu khóa bắt buộc '{key}'"
UNKNOWN = "khóa không được hỗ trợ '{key}' (cho phép: {allowed})"


@dataclass
class Where:
    """The key being read, where it sits in the file, and the list its problems go to."""

    path: str
    key: str
    line: int
    entries: list[int]
    problems: list[Problem]

    def report(self, message: str, line: int | None = None) -> None:
        """Record a problem on the key's line (or on another one, e.g. a list entry's)."""
        self.problems.append(Problem(self.path, self.line if line is None else line, message))

    def entry_line(self, index: int) -> int:
        """The line of the index-th entry of a list value (the key's line when unknown)."""
        return self.entries[index] if index < len(self.entries) else self.line


@dataclass(frozen=True, kw_only=True)
class Field:
    """A front-matter key: whether it must be given, its default, and how its value is read.

    A required key is missing when absent or null, or (when blank_is_missing) a blank string.
    An optional key that is absent takes the default; one that is null takes it too when
    null_is_unset, and is otherwise read (and usually refused). `read`, when given, reads the
    value for a field type that has no class of its own.
    """

    required: bool = False
    default: Any = None
    missing: str = MISSING
    null_is_unset: bool = False
    blank_is_missing: bool = True
    read: Callable[[Any, Where], Any] | None = None

    def fresh_default(self) -> Any:
        """The default, copied: a list default must not be shared between files."""
        return copy.copy(self.default)

    def is_missing(self, value: Any) -> bool:
        """Whether a required key with this value counts as not given."""
        blank = self.blank_is_missing and isinstance(value, str) and not value.strip()
        return value is None or blank

    def limits(self) -> dict[str, Any]:
        """The field's own limits, which its message templates may name."""
        return {}

    def message(self, template: str, key: str, value: Any, **extra: Any) -> str:
        """Fill in a message template."""
        return template.format(key=key, value=value, **self.limits(), **extra)

    def check(self, value: Any, where: Where) -> Any:
        """Read a given value; report what is wrong and return the default instead."""
        return value if self.read is None else self.read(value, where)

    def fail(self, where: Where, template: str, value: Any, **extra: Any) -> Any:
        """Report a filled-in message template and fall back to the default."""
        where.report(self.message(template, where.key, value, **extra))
        return self.fresh_default()


@dataclass(frozen=True, kw_only=True)
class Text(Field):
    """One line of text (numbers written bare count as text unless numbers=False).

    The length is measured after clean; valid, when given, must accept the cleaned text.
    """

    max: int
    clean: Callable[[str], str] = str.strip
    numbers: bool = True
    valid: Callable[[str], object] | None = None
    null_is_unset: bool = True
    wrong: str = "'{key}' phải là chuỗi ký tự"
    too_long: str = "'{key}' dài quá {max} ký tự ({length} ký tự)"
    invalid: str = "'{key}' không hợp lệ: {value!r}"

    def limits(self) -> dict[str, Any]:
        return {"max": self.max}

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str) and not value.strip():
            return self.fresh_default()
        kinds = (str, int, float) if self.numbers else (str,)
        if isinstance(value, bool) or not isinstance(value, kinds):
            return self.fail(where, self.wrong, value)
        text = self.clean(str(value))
        if len(text) > self.max:
            return self.fail(where, self.too_long, text, length=len(text))
        if self.valid is not None and not self.valid(text):
            return self.fail(where, self.invalid, text)
        return text


@dataclass(frozen=True, kw_only=True)
class Slug(Field):
    """A slug naming something else (a module, a bank), by the one slug rule."""

    null_is_unset: bool = True
    wrong: str = "'{key}' không hợp lệ: {value!r}"

    def check(self, value: Any, where: Where) -> Any:
        return value if is_slug(value) else self.fail(where, self.wrong, value)


@dataclass(frozen=True, kw_only=True)
class Number(Field):
    """A number (whole or not) from low to high; read as a float."""

    low: float
    high: float
    wrong: str = "'{key}' phải là số từ {low} đến {high}: {value!r}"

    def limits(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.fail(where, self.wrong, value)
        if not self.low <= value <= self.high:
            return self.fail(where, self.wrong, value)
        return float(value)


@dataclass(frozen=True, kw_only=True)
class Integer(Field):
    """A whole number from low to high."""

    low: int
    high: int
    null_is_unset: bool = True
    wrong: str = "'{key}' phải là số nguyên từ {low} đến {high}"
    out_of_range: str = "'{key}' phải từ {low} đến {high} (đang là {value})"

    def limits(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.fail(where, self.wrong, value)
        if not self.low <= value <= self.high:
            return self.fail(where, self.out_of_range, value)
        return value


@dataclass(frozen=True, kw_only=True)
class Flag(Field):
    """true or false."""

    default: bool = True
    wrong: str = "'{key}' phải là true hoặc false"

    def check(self, value: Any, where: Where) -> Any:
        return value if isinstance(value, bool) else self.fail(where, self.wrong, value)


@dataclass(frozen=True, kw_only=True)
class Choice(Field):
    """One of a fixed set of values."""

    choices: Collection[Hashable]
    wrong: str = "'{key}' không hợp lệ: {value!r} (dùng {choices})"

    def limits(self) -> dict[str, Any]:
        return {"choices": ", ".join(map(str, self.choices))}

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, Hashable) and value in self.choices:
            return value
        return self.fail(where, self.wrong, value)


@dataclass(frozen=True, kw_only=True)
class Date(Field):
    """A calendar date written YYYY-MM-DD (a blank one is badly written, not missing)."""

    null_is_unset: bool = True
    blank_is_missing: bool = False
    wrong: str = "'{key}' phải là ngày dạng YYYY-MM-DD"

    def check(self, value: Any, where: Where) -> Any:
        return value if isinstance(value, date) else self.fail(where, self.wrong, value)


@dataclass(frozen=True, kw_only=True)
class Names(Field):
    """A list of names: problem says what is wrong with a value (or None); clean tidies it."""

    problem: Callable[[Any], str | None]
    clean: Callable[[list], list] = list

    def check(self, value: Any, where: Where) -> Any:
        message = self.problem(value)
        if message:
            where.report(message)
            return self.fresh_default()
        return self.clean(value)


class Schema:
    """The keys a front matter may hold, in the order they are checked."""

    def __init__(
        self,
        fields: Mapping[str, Field],
        *,
        unknown: str = UNKNOWN,
        listed: Sequence[str] | None = None,
    ) -> None:
        self.fields = dict(fields)
        self.keys = tuple(self.fields)
        self.unknown = unknown
        self.allowed = ", ".join(listed if listed is not None else self.keys)

    def read(
        self,
        meta: Mapping[Any, Any],
        *,
        path: str,
        line_of: Callable[[str], int],
        entry_lines: Callable[[str], list[int]] = lambda _key: [],
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Check meta; return every declared key's value (or default) and the problems found."""
        problems: list[Problem] = []
        for key in sorted({str(k) for k in meta} - set(self.keys)):
            problems.append(
                Problem(path, line_of(key), self.unknown.format(key=key, allowed=self.allowed))
            )
        values: dict[str, Any] = {}
        for key, field in self.fields.items():
            where = Where(path, key, line_of(key), entry_lines(key), problems)
            value = meta.get(key)
            if field.required and field.is_missing(value):
                where.report(field.message(field.missing, key, value))
                values[key] = field.fresh_default()
            elif key not in meta or (value is None and field.null_is_unset):
                values[key] = field.fresh_default()
            else:
                values[key] = field.check(value, where)
        return values, problems
