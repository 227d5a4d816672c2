"""Taking hopeless characters as text in one step must never change what a text renders to.

The renderer skips markdown-it's rule chain for a `[` that can never close, a `<` that starts
no autolink, an `&` that starts no entity and punctuation no rule uses, and matches link
destinations with a regex. Bare markdown-it, which does none of that, is the reference.
"""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers

from cchc_learn.markup import render, sanitize_html
from cchc_learn.markup.linear import parse_link_destination
from cchc_learn.markup.urls import is_safe_url

# No newline, `^`, `~` or `[[`: those are syntax the bare parser below does not have.
CHUNKS = ["["] * 7 + ["]", "]", "](", "](a)", ")", "(", "a", " ", "`", "\\", "<", ">",
                      "![", "*", "_", "<a>", "[a]"]  # fmt: skip
_ALT = re.compile(r' (?:alt|src)="[^"]*"')
_SPACE = re.compile(r"\s+")
_EMPTY_LINK = re.compile(r"<a>(.*?)</a>", re.DOTALL)
_MISSING_IMAGE = re.compile(r'<span class="image-missing">[^<]*</span>')


def bare_commonmark(text: str) -> str:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 5}).enable("strikethrough")
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    # markdown-it writes strikethrough as <s>; the renderer writes <del>.
    return md.render(text).replace("<s>", "<del>").replace("</s>", "</del>")


def comparable(html: str) -> str:
    # The renderer drops a link and shows an image's alt text when the URL is refused (here
    # only empty ones); the bare parser keeps both without a URL.
    html = _EMPTY_LINK.sub(r"\1", _ALT.sub("", html))
    html = _MISSING_IMAGE.sub("<img>", html)
    return _SPACE.sub(" ", html).strip()


def shallow(text: str, deepest: int = 3) -> str:
    """Drop `[[` (doc links) and keep raw bracket depth low.

    Past markdown-it's nesting limit its label scan caches "jump to the end" and later
    misses links that CommonMark has; skipping hopeless openers avoids that, so only texts
    that never reach the limit can be compared with the bare parser.
    """
    out, depth = [], 0
    for ch in text:
        if ch == "[":
            if out and out[-1] == "[":
                out.append(" ")
            if depth >= deepest:
                out.append("]")
            else:
                depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        out.append(ch)
    return "x " + "".join(out)


bracket_heavy = st.lists(st.sampled_from(CHUNKS), min_size=1000, max_size=1400).map(
    lambda chunks: shallow("".join(chunks))
)


@settings(max_examples=100, deadline=timedelta(seconds=5))
@given(bracket_heavy)
def test_render_matches_plain_commonmark_on_bracket_heavy_text(text):
    # Enough openers for the exact bracket map, not just the "any `]` left?" test.
    assume(text.count("[") >= 256)
    ours = render(text, asset_resolver=lambda path: path).html
    reference = sanitize_html(bare_commonmark(text))
    assert comparable(ours) == comparable(reference)


def test_long_run_with_a_late_link_still_links():
    # The bare parser loses this link: its nesting limit poisons the label-scan cache.
    text = "x " + "[ " * 2_000 + "[nhãn](/kb/) cuối"
    html = render(text).html
    assert html.endswith('[ <a href="/kb/">nhãn</a> cuối</p>\n')


def test_run_closed_after_a_code_span_is_judged_conservatively():
    text = "x " + "[ " * 400 + "`]` ](/kb/)"
    assert comparable(render(text).html) == comparable(sanitize_html(bare_commonmark(text)))


# Characters the fast path takes or leaves, in the combinations that decide which.
PUNCTUATION = ["&", "&amp;", "&#1;", "&#x41;", "&#;", "&zz;", "&a", "<", "<a", "<a@b.vn>",
               "<http://a.vn/x>", "<a:", ">", "~", "~~", "!", "![", "![a](/i.png)", "# ", "=",
               ":", "]", "[", "[", "a", " ", "*", "_", "`", "\\", "(", ")", "](", "](a)",
               "](<a b>)", '](a "t")', "^ ", "{", "}", "@", "$", "%", "+", "-", "\\&"]  # fmt: skip

punctuation_heavy = st.lists(st.sampled_from(PUNCTUATION), min_size=1, max_size=300).map(
    lambda chunks: shallow("".join(chunks))
)


@settings(max_examples=300, deadline=timedelta(seconds=5))
@given(punctuation_heavy)
def test_render_matches_plain_commonmark_on_punctuation_heavy_text(text):
    ours = render(text, asset_resolver=lambda path: path).html
    reference = sanitize_html(bare_commonmark(text))
    assert comparable(ours) == comparable(reference)


@given(st.text(alphabet="ab()\\ \n\x01<>\x7f", max_size=40), st.data())
def test_link_destinations_parse_as_markdown_it_parses_them(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    ours = parse_link_destination(text, start, end)
    theirs = helpers.parseLinkDestination(text, start, end)
    assert ours.ok == theirs.ok
    if theirs.ok:
        assert (ours.pos, ours.str) == (theirs.pos, theirs.str)


def test_link_destinations_nest_parentheses_32_deep():
    deep = "(" * 32 + "a" + ")" * 32
    assert render(f"[x]({deep})").html.startswith('<p><a href="')
    assert "<a" not in render(f"[x](({deep}))").html
