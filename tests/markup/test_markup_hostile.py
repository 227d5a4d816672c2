"""Hostile 200 KB inputs finish and still say what was written (no quadratic blow-ups)."""

from __future__ import annotations

import pytest
from markup_audit import audit

from cchc_learn.markup import render, to_plain_text

SIZE = 200_000

HOSTILE = {
    "open brackets": "[" * SIZE,
    "open brackets, one close": "[" * (SIZE - 1) + "]",
    "brackets and letters": "[a" * (SIZE // 2),
    "doc link openers": "[[" * (SIZE // 2),
    "unclosed doc links": "[[4599/QĐ-UBND " * (SIZE // 15),
    "many doc links": "[[4599/QĐ-UBND]] " * (SIZE // 17),
    "emphasis runs": "*a_" * (SIZE // 3),
    "emphasis pairs": "*a**" * (SIZE // 4),
    "backtick runs": "".join("`" * n + " " for n in range(1, 630)),
    "backtick pairs": "`a``" * (SIZE // 4),
    "footnote openers": "[^" * (SIZE // 2),
    "inline footnote openers": "^[" * (SIZE // 2),
    "nested quotes": ">" * SIZE,
    "nested lists": "- " * (SIZE // 2),
    "deep indented lists": "".join("  " * i + "- a\n" for i in range(400)),
    "link destinations": "[](" * (SIZE // 3),
    "escapes": "\\*" * (SIZE // 2),
    "entities": "&#x09;" * (SIZE // 6),
    "angle brackets": "<" * SIZE,
    "headings": "# a\n" * (SIZE // 4),
    "admonitions": "!!! note\n    " * (SIZE // 13),
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_renders_safely(text):
    result = render(text)
    assert audit(result.html) == []
    assert result.html


def test_long_bracket_run_stays_visible_text():
    text = "[" * SIZE
    assert render(text).html == "<p>" + text + "</p>\n"
    assert to_plain_text(text) == text


def test_bracket_run_with_one_close_keeps_every_bracket():
    text = "[" * (SIZE - 1) + "]"
    assert to_plain_text(text) == text


def test_long_emphasis_run_keeps_every_letter():
    text = "*a_" * (SIZE // 3)
    assert to_plain_text(text).count("a") == SIZE // 3


def test_thousands_of_doc_links_are_all_reported_with_lines():
    text = "[[4599/QĐ-UBND]]\n" * 5_000
    result = render(text, doc_link_resolver=lambda number: "/kb/4599")
    assert len(result.doc_links) == 5_000
    assert [link.line for link in result.doc_links] == list(range(1, 5_001))


def test_thousands_of_equal_headings_get_distinct_ids():
    result = render("## a\n" * 20_000)
    ids = [entry.id for entry in result.toc]
    assert len(ids) == len(set(ids)) == 20_000
    assert ids[:3] == ["a", "a-1", "a-2"] and ids[-1] == "a-19999"
