"""Declared front-matter schemas: values, defaults and every problem as path:line: message."""

from __future__ import annotations

from datetime import date

import pytest

from cchc_learn.content.frontmatter import parse_markdown
from cchc_learn.content.schema import (
    Choice,
    Date,
    Field,
    Flag,
    Integer,
    Names,
    Number,
    Schema,
    Slug,
    Text,
)
from cchc_learn.textnorm import SLUG_MAX_LENGTH, is_slug

SCHEMA = Schema(
    {
        "title": Text(required=True, max=10),
        "minutes": Integer(required=True, low=1, high=600, default=1),
        "share": Number(low=0, high=100, default=50.0, wrong="'{key}' sai: {value!r}"),
        "level": Choice(choices=("a", "b"), default="a"),
        "issued": Date(),
        "module": Slug(),
        "tags": Names(problem=lambda v: None if isinstance(v, list) else "sai", default=[]),
        "published": Flag(default=True),
    }
)


def read(text: str):
    md = parse_markdown(text, "x.md")
    values, problems = SCHEMA.read(md.meta, path=md.path, line_of=md.line_of)
    return values, [str(p) for p in problems]


def test_a_valid_header_gives_its_values_and_the_defaults():
    values, problems = read("---\ntitle: ' Tên '\nminutes: 15\nissued: 2025-07-01\n---\n")
    assert problems == []
    assert values == {
        "title": "Tên",
        "minutes": 15,
        "share": 50.0,
        "level": "a",
        "issued": date(2025, 7, 1),
        "module": None,
        "tags": [],
        "published": True,
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: ''", "x.md:2: thiếu khóa bắt buộc 'title'"),
        ("title: [a]", "x.md:2: 'title' phải là chuỗi ký tự"),
        ("title: abcdefghijk", "x.md:2: 'title' dài quá 10 ký tự (11 ký tự)"),
        ("minutes: mười", "x.md:3: 'minutes' phải là số nguyên từ 1 đến 600"),
        ("minutes: true", "x.md:3: 'minutes' phải là số nguyên từ 1 đến 600"),
        ("minutes: 0", "x.md:3: 'minutes' phải từ 1 đến 600 (đang là 0)"),
        ("share: 101", "x.md:4: 'share' sai: 101"),
        ("level: c", "x.md:4: 'level' không hợp lệ: 'c' (dùng a, b)"),
        ("level: [c]", "x.md:4: 'level' không hợp lệ: ['c'] (dùng a, b)"),
        ("level:", "x.md:4: 'level' không hợp lệ: None (dùng a, b)"),
        ("issued: 30/12/2022", "x.md:4: 'issued' phải là ngày dạng YYYY-MM-DD"),
        ("issued: ''", "x.md:4: 'issued' phải là ngày dạng YYYY-MM-DD"),
        ("module: Có Dấu", "x.md:4: 'module' không hợp lệ: 'Có Dấu'"),
        ("tags: a", "x.md:4: sai"),
        ("published: có", "x.md:4: 'published' phải là true hoặc false"),
        ("published:", "x.md:4: 'published' phải là true hoặc false"),
        ("colour: red", "x.md:4: khóa không được hỗ trợ 'colour' (cho phép: title, minutes, "
         "share, level, issued, module, tags, published)"),
    ],
)
def test_each_wrong_value_is_reported_on_its_line(line, message):
    header = {"title": "title: Tên", "minutes": "minutes: 15"}
    header[line.split(":")[0]] = line
    _, problems = read("---\n" + "\n".join(header.values()) + "\n---\n")
    assert problems == [message]


def test_a_missing_required_key_is_reported_on_the_first_line():
    _, problems = read("---\ntitle: Tên\n---\n")
    assert problems == ["x.md:1: thiếu khóa bắt buộc 'minutes'"]


def test_null_means_unset_only_where_the_type_says_so():
    values, problems = read("---\ntitle: Tên\nminutes: 5\nmodule:\nissued:\n---\n")
    assert problems == [] and values["module"] is None and values["issued"] is None


def test_list_defaults_are_not_shared_between_files():
    first, _ = read("---\ntitle: a\nminutes: 1\n---\n")
    first["tags"].append("x")
    second, _ = read("---\ntitle: b\nminutes: 1\n---\n")
    assert second["tags"] == []


def test_a_custom_field_reports_on_the_line_of_each_list_entry():
    def read_items(value, where):
        for index, item in enumerate(value):
            if item != "ok":
                where.report(f"mục {item!r} sai", where.entry_line(index))
        return value

    schema = Schema({"items": Field(read=read_items, default=[])})
    md = parse_markdown("---\nitems:\n  - ok\n  - sai\n---\n", "x.md")
    assert md.lines_of_entries("items") == [3, 4]
    _, problems = schema.read(
        md.meta, path=md.path, line_of=md.line_of, entry_lines=md.lines_of_entries
    )
    assert [str(p) for p in problems] == ["x.md:4: mục 'sai' sai"]


def test_the_one_slug_rule():
    assert is_slug("a") and is_slug("4599-qd-ubnd") and is_slug("a" * SLUG_MAX_LENGTH)
    for bad in ("", "-a", "A", "có-dấu", "a_b", "a\n", "a" * (SLUG_MAX_LENGTH + 1), 5, None):
        assert not is_slug(bad), bad
