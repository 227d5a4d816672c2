"""Property tests: whatever text comes in, what goes out is safe, well-formed and complete."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from markup_audit import attributes, audit

from cchc_learn.markup import render, render_inline, sanitize_html, to_plain_text

GENEROUS = settings(max_examples=250, deadline=timedelta(seconds=5))

DANGEROUS = [
    "<script>", "</script>", "<img src=x ", "onerror=alert(1)", " onload=", "<svg", "<a href=",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "java&#x09;script:", "&#106;", "&#x6A;",
    "&colon;", "vbscript:", "data:text/html,", "data:image/png;base64,", "//evil.example",
    "/\\evil", "\\\\", "%5C", "%09", "%0A", "http://", "https:", "mailto:", "alert(1)",
    "[", "]", "(", ")", "<", ">", "\"", "'", "`", "*", "_", "~~", "!", "![", "[[", "]]", "|",
    "^[", "[^1]", "[^1]: ", "\n", "\n\n", "> ", "- ", "1. ", "    ", "# ", "## ", "|---|",
    "!!! note ", "!!! ", "```", ": ", "&", "&amp;", "#", "\x00", "\u200b", "\ufeff", "\r",
    "Đề án", "[x](", "[x]: ", "](", "\\",
]  # fmt: skip

dangerous_text = st.lists(
    st.one_of(st.sampled_from(DANGEROUS), st.text(max_size=4)), max_size=40
).map("".join)


def _assert_safe(html: str) -> None:
    problems = audit(html)
    assert problems == [], (problems, html)


@GENEROUS
@given(st.text(max_size=400))
def test_arbitrary_text_renders_safely(text):
    result = render(text)
    _assert_safe(result.html)
    _assert_safe(result.toc_html)


@GENEROUS
@given(dangerous_text)
def test_text_built_from_attack_fragments_renders_safely(text):
    result = render(
        text,
        doc_link_resolver=lambda number: number,
        asset_resolver=lambda path: path,
        allow_external_images=True,
    )
    _assert_safe(result.html)
    _assert_safe(result.toc_html)
    _assert_safe(render_inline(text))


@GENEROUS
@given(dangerous_text)
def test_attack_fragments_as_raw_html_are_sanitized(text):
    _assert_safe(sanitize_html(text))


@GENEROUS
@given(dangerous_text)
def test_ids_in_a_page_are_unique(text):
    html = render(text).html
    ids = [value for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "a")
           for value in attributes(html, tag, "id") if value]  # fmt: skip
    assert [i for i, n in Counter(ids).items() if n > 1] == []


@GENEROUS
@given(dangerous_text)
def test_every_doc_link_reported_is_on_a_real_line(text):
    result = render(text)
    lines = max(1, len(re.split(r"\r\n|\r|\n", text)))
    for link in result.doc_links:
        assert 1 <= link.line <= lines


words = st.lists(
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ", min_size=1, max_size=8),
    min_size=1,
    max_size=30,
)


@GENEROUS
@given(
    words,
    st.sampled_from(
        [
            ("", ""),
            ("# ", ""),
            ("- ", ""),
            ("> ", ""),
            ("1. ", ""),
            ("| ", " |\n|-|"),
            ("**", "**"),
            ("`", "`"),
            ("[[", "]]"),
            ("[", "](/kb/)"),
        ]
    ),  # fmt: skip
)
def test_plain_text_keeps_every_word_and_drops_the_syntax(items, wrapper):
    prefix, suffix = wrapper
    text = "\n\n".join(prefix + word + suffix for word in items)
    plain = to_plain_text(text)
    for word in items:
        assert word in plain
    for syntax in (prefix.strip(), suffix.strip()):
        if syntax:
            assert syntax not in plain
