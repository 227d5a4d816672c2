"""Where requests are read: what arrives from outside is made safe once, for every feature.

- An integer in a URL (``<int:id>``) matches only within the id columns' range (INTEGER,
  0 … 2**31 - 1): a larger one made SQLite's driver overflow and PostgreSQL refuse the query;
  now it does not match the route at all, so the answer is a 404 without a query.
- A path with a control character (``/kb/%00``) names nothing: 404.
- Query-string and form values (and their names) lose control characters other than tab,
  newline and carriage return: PostgreSQL refuses NUL in text, and no person types the others.
  Uploaded files are left as they are; their contents are checked by the feature that reads
  them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

# The largest value of the id columns (INTEGER: 32-bit on PostgreSQL).
MAX_ID = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """text without control characters other than tab, newline and carriage return."""
    return _CONTROL.sub("", text)


def _up_to(limit: str) -> str:
    """A regular expression for the decimal numbers 0 … limit without leading zeros."""
    shorter = f"[0-9]{{1,{len(limit) - 1}}}" if len(limit) > 1 else ""
    branches = [shorter] if shorter else []
    for i, digit in enumerate(limit):
        rest = len(limit) - i - 1
        low = "1" if i == 0 else "0"
        if int(digit) > int(low):
            branches.append(f"{limit[:i]}[{low}-{int(digit) - 1}][0-9]{{{rest}}}")
    branches.append(limit)
    return "|".join(branches)


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` that matches only 0 … 2**31 - 1 (leading zeros allowed).

    The bound is in the pattern, not in a range check: a rule whose value fails a check after
    matching would make Werkzeug answer 405 where another method's rule shares the path.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        self.regex = ("-?" if signed else "") + "0*(?:" + _up_to(str(MAX_ID)) + ")"


def _clean_pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if mapping is None:
        return []
    if hasattr(mapping, "items"):
        try:
            pairs = list(mapping.items(multi=True))
        except TypeError:
            pairs = list(mapping.items())
    else:
        pairs = list(mapping)
    return [
        (
            strip_controls(key) if isinstance(key, str) else key,
            strip_controls(value) if isinstance(value, str) else value,
        )
        for key, value in pairs
    ]


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values as a request's readers see them: control characters removed."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__(_clean_pairs(mapping))


class CleanRequest(Request):
    """The request class: every args/form mapping is a :class:`CleanMultiDict`."""

    parameter_storage_class = CleanMultiDict


def init_app(app: Flask) -> None:
    """Install the request class and the bounded integer converter (before any route)."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.before_request
    def _refuse_control_characters_in_path():
        if _CONTROL.search(request.path):
            abort(404)


# No listing has this many pages; a larger number would overflow the query's OFFSET.
MAX_PAGE = 100_000


def page_number(name: str = "page") -> int:
    """The 1-based page number asked for in the query string, kept within 1 … MAX_PAGE."""
    raw = request.args.get(name, "")
    if not raw.isascii() or not raw.isdigit():
        return 1
    return min(max(int(raw[:7]), 1), MAX_PAGE)
