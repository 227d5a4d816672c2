"""Hostile 200 KB inputs: each renders and still says what was written, or is refused.

Nothing here times anything (benchmarks/markup_hostile.py does). What is tested is the outcome
a trainer sees: text made of brackets, angle brackets or stray entities renders to the same
characters; text that is nothing but markup passes one of the limits (lines, elements) and
gets a Vietnamese message instead of a worker busy for seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markup_audit import audit

from cchc_learn.markup import (
    MAX_ELEMENTS,
    MAX_INPUT_LINES,
    MarkupInputTooLarge,
    MarkupTooComplex,
    render,
    to_plain_text,
)

SIZE = 200_000
ROOT = Path(__file__).resolve().parents[2]

NESTED = {
    "nested quotes": ">" * SIZE,
    "nested lists": "- " * (SIZE // 2),
    "deep indented lists": "".join("  " * i + "- a\n" for i in range(400)),
}

AS_TEXT = {
    "open brackets": "[" * SIZE,
    "open brackets, one close": "[" * (SIZE - 1) + "]",
    "brackets and letters": "[a" * (SIZE // 2),
    "doc link openers": "[[" * (SIZE // 2),
    "unclosed doc links": "[[4599/QĐ-UBND " * (SIZE // 15),
    "backtick runs": "".join("`" * n + " " for n in range(1, 630)),
    "footnote openers": "[^" * (SIZE // 2),
    "inline footnote openers": "^[" * (SIZE // 2),
    "angle brackets": "<" * SIZE,
    "angle brackets and letters": "<a" * (SIZE // 2),
    "ampersand hashes": "&#" * (SIZE // 2),
    "ampersand letters": "&a" * (SIZE // 2),
    "closing brackets": "]" * SIZE,
    "equals signs": "=" * SIZE,
    "single tildes": "~a" * (SIZE // 2),
    "bangs before unclosable brackets": "![" * (SIZE // 2),
}

REFUSED = {
    "many doc links": "[[4599/QĐ-UBND]] " * (SIZE // 17),
    "emphasis runs": "*a_" * (SIZE // 3),
    "emphasis pairs": "*a**" * (SIZE // 4),
    "backtick pairs": "`a``" * (SIZE // 4),
    "link destinations": "[](" * (SIZE // 3),
    "link destinations closed at the end": "[](" * (SIZE // 3 - 1) + ")",
    "unclosed inline links": "[a](b " * (SIZE // 6),
    "shortcut references": "[a] " * (SIZE // 4),
    "escapes": "\\*" * (SIZE // 2),
    "entities": "&#x09;" * (SIZE // 6),
    "wide table": "|" + "a|" * 30_000 + "\n|" + "-|" * 30_000 + "\n|" + "x|" * 30_000 + "\n",
    "table rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * 4_000,
    "list items": "- a\n" * 4_000,
    "admonitions": "!!! note\n    a\n" * 2_400,
}

TOO_MANY_LINES = {
    "headings": "# a\n" * (SIZE // 4),
    "reference definitions": "[a]: /u\n" * (SIZE // 8),
    "definition lists": "a\n: b\n" * (SIZE // 6),
    "soft line breaks": "a\n" * (SIZE // 2),
}


@pytest.mark.parametrize("text", AS_TEXT.values(), ids=AS_TEXT.keys())
def test_hostile_text_renders_to_the_same_characters(text):
    result = render(text)
    assert audit(result.html) == []
    assert to_plain_text(text).strip() == text.strip()


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_renders_safely_within_the_nesting_limit(text):
    html = render(text).html
    assert audit(html) == []
    assert html.count("<blockquote>") + html.count("<ul>") <= 500


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_text_that_is_all_markup_passes_the_element_limit(text):
    assert text.count("\n") < MAX_INPUT_LINES
    with pytest.raises(MarkupTooComplex) as caught:
        render(text)
    assert "quá nhiều thành phần Markdown" in str(caught.value)
    assert "20.000" in str(caught.value)
    assert caught.value.line == 1


@pytest.mark.parametrize("text", TOO_MANY_LINES.values(), ids=TOO_MANY_LINES.keys())
def test_text_of_short_lines_passes_the_line_limit(text):
    with pytest.raises(MarkupInputTooLarge) as caught:
        render(text)
    assert f"tối đa {MAX_INPUT_LINES:,} dòng".replace(",", ".") in str(caught.value)
    assert caught.value.line == MAX_INPUT_LINES + 1


def test_long_bracket_run_stays_visible_text():
    text = "[" * SIZE
    assert render(text).html == "<p>" + text + "</p>\n"


def test_real_lessons_as_long_as_the_input_limit_render():
    lessons = sorted((ROOT / "content" / "modules").glob("*/[0-9]*.md"))
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in lessons]
    text = "\n\n".join(bodies * 2)
    text = text[: text.rfind("\n\n", 0, SIZE)]
    assert len(text) > SIZE - 10_000
    result = render(text)
    assert len(result.toc) > 200
    assert result.html.count("<li>") > 500


def test_thousands_of_doc_links_are_all_reported_with_lines():
    text = "[[4599/QĐ-UBND]]\n" * 4_000
    result = render(text, doc_link_resolver=lambda number: "/kb/4599")
    assert len(result.doc_links) == 4_000
    assert [link.line for link in result.doc_links] == list(range(1, 4_001))


def test_thousands_of_equal_headings_get_distinct_ids():
    result = render("## a\n" * 4_000)
    ids = [entry.id for entry in result.toc]
    assert len(ids) == len(set(ids)) == 4_000
    assert ids[:3] == ["a", "a-1", "a-2"] and ids[-1] == "a-3999"


def test_the_element_limit_is_exact():
    # Each `*a* ` line makes five tokens inside one paragraph of three.
    def emphasis(count: int) -> str:
        return "*a* " * count

    fits = (MAX_ELEMENTS - 3) // 4 - 10
    assert render(emphasis(fits)).html.count("<em>") == fits
    with pytest.raises(MarkupTooComplex):
        render(emphasis(MAX_ELEMENTS // 4 + 10))


def test_the_line_limit_counts_a_final_newline_as_no_line():
    assert render("a\n" * MAX_INPUT_LINES).html.count("a") == MAX_INPUT_LINES
    with pytest.raises(MarkupInputTooLarge, match="5.001 dòng"):
        render("a\n" * MAX_INPUT_LINES + "a")
