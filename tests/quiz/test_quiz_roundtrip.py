"""Export then import gives back the same items, in every format, whatever the texts hold."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from cchc_learn.quiz.formats import (
    dumps_items,
    loads_items,
    parse_gift,
    parse_markdown,
    to_gift,
    to_markdown,
)
from cchc_learn.quiz.questions import (
    FORMATS,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Option,
    Pair,
    ShortAnswer,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    clean_text,
    normalize_item,
    validate_item,
)

# Pieces that mean something in GIFT or in our Markdown, plus Vietnamese and odd Unicode.
FRAGMENTS = [
    "~",
    "=",
    "#",
    "{",
    "}",
    ":",
    "\\",
    "\\n",
    "\\\\",
    "[",
    "]",
    "%",
    "-",
    ">",
    "<",
    "*",
    "$",
    "/",
    '"',
    "'",
    "(",
    ")",
    "|",
    "`",
    "±",
    "_",
    ".",
    ",",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "[x]",
    "[ ]",
    "[50%]",
    "- ",
    "= ",
    "> ",
    "->",
    "##",
    "## ",
    "#### ",
    "::",
    "//",
    "{type=essay}",
    "[html]",
    "[markdown]",
    "%50%",
    "(50%)",
    "$CATEGORY: x",
    "TRUE",
    "T",
    "Đúng",
    "Sai",
    "42",
    "3,14",
    "1..5",
    "\\*",
    "cải cách hành chính",
    "Thủ tục",
    "đ",
    "Ư",
    "ế",
    "\u0301",
    "\u0309",
    "\u0323",
    "\u0338",
    "\u00a0",
    "\u200d",
    "\u200f",
    "\u2028",
    "😀",
    "a",
    "B",
    "0",
]
ATOMS = st.sampled_from(FRAGMENTS)
VISIBLE = st.sampled_from([f for f in FRAGMENTS if f.strip(" \t\n")])


text = st.lists(ATOMS, max_size=10).map("".join).map(clean_text)
nonempty = st.builds(
    lambda a, b, c: clean_text("".join(a) + b + "".join(c)),
    st.lists(ATOMS, max_size=5),
    VISIBLE,
    st.lists(ATOMS, max_size=5),
)
one_line = text.map(lambda s: clean_text(s.replace("\n", " ")))
one_line_nonempty = nonempty.map(lambda s: clean_text(s.replace("\n", " ")))
meta_word = st.builds(
    lambda first, rest: clean_text(first + rest),
    st.sampled_from("abcxyzĐđ0123456789"),
    st.text(alphabet="abcxyzĐđ0123456789-_./:é ", max_size=11),
)
weights = st.sampled_from([0.0, 50.0, -25.0, 33.5, -100.0, 12.5, 100.0, 0.1, 99.99])


@st.composite
def common(draw, *, explanation=True):
    return dict(
        stem=draw(nonempty),
        title=draw(one_line),
        id=draw(st.just("") | meta_word.map(lambda s: s.replace(" ", ""))),
        tags=draw(st.lists(meta_word, max_size=3)),
        topic=draw(one_line),
        difficulty=draw(st.none() | st.integers(1, 5)),
        explanation=draw(text) if explanation else "",
        ref=draw(st.just("") | meta_word),
        format=draw(st.sampled_from(FORMATS)),
    )


def distinct(strategy, low, high):
    return st.lists(strategy, min_size=low, max_size=high, unique_by=lambda s: s)


@st.composite
def single(draw):
    texts = draw(distinct(nonempty, 2, 5))
    values = [draw(weights) for _ in texts]
    values[draw(st.integers(0, len(texts) - 1))] = 100.0
    options = [
        Option(text=t, weight=w, feedback=draw(text)) for t, w in zip(texts, values, strict=True)
    ]
    return SingleChoice(**draw(common()), options=options)


@st.composite
def multiple(draw):
    texts = draw(distinct(nonempty, 2, 6))
    right = draw(st.integers(1, len(texts)))
    split = draw(st.sampled_from(["even", "hand"]))
    shares = [100.0 / right] * right
    if split == "hand" and right == 3:
        shares = [33.33333, 33.33333, 33.33334]
    elif split == "hand" and right == 2:
        shares = [60.0, 40.0]
    wrong = [draw(st.sampled_from([0.0, -50.0, -100.0, -33.3])) for _ in texts[right:]]
    options = [
        Option(text=t, weight=w, feedback=draw(text))
        for t, w in zip(texts, shares + wrong, strict=True)
    ]
    return MultipleChoice(**draw(common()), options=draw(st.permutations(options)))


@st.composite
def true_false(draw):
    return TrueFalse(
        **draw(common()),
        answer=draw(st.booleans()),
        feedback_true=draw(text),
        feedback_false=draw(text),
    )


@st.composite
def short(draw):
    texts = draw(distinct(nonempty, 1, 4))
    values = [draw(st.sampled_from([100.0, 50.0, 0.0, 75.5])) for _ in texts]
    values[0] = 100.0
    answers = [
        TextAnswer(text=t, weight=w, feedback=draw(text))
        for t, w in zip(texts, values, strict=True)
    ]
    return ShortAnswer(
        **draw(common()),
        answers=draw(st.permutations(answers)),
        diacritics_insensitive=draw(st.booleans()),
    )


number = st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, 3.13, 3.15, -5.0, 1822.0, 1e-05, 0.1, 0.30000000000000004]
)


@st.composite
def numerical(draw):
    answers = []
    for index in range(draw(st.integers(1, 3))):
        low, high = sorted([draw(number), draw(number)])
        weight = 100.0 if index == 0 else draw(st.sampled_from([100.0, 50.0, 0.0]))
        answers.append(NumericAnswer(min=low, max=high, weight=weight, feedback=draw(text)))
    if draw(st.booleans()):
        answers.append(NumericAnswer(min=None, max=None, weight=0.0, feedback=draw(text)))
    return Numerical(**draw(common()), answers=draw(st.permutations(answers)))


@st.composite
def matching(draw):
    lefts = draw(distinct(one_line_nonempty.map(lambda s: s.replace("->", "-")), 2, 5))
    pairs = [Pair(left=left, right=draw(one_line_nonempty)) for left in lefts]
    pairs += [Pair(left="", right=draw(one_line_nonempty)) for _ in range(draw(st.integers(0, 2)))]
    return Matching(**draw(common()), pairs=draw(st.permutations(pairs)))


items = st.one_of(
    single(),
    multiple(),
    true_false(),
    short(),
    numerical(),
    matching(),
    common().map(lambda kw: Essay(**kw)),
    common(explanation=False).map(lambda kw: Description(**kw)),
).map(normalize_item)


def valid(bank):
    for item in bank:
        assume(not validate_item(item))
    ids = [item.id for item in bank if item.id]
    assume(len(ids) == len(set(ids)))
    return bank


banks = st.lists(items, min_size=1, max_size=4)
CHECKS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)

RAW_NASTY = [
    ShortAnswer(stem="a\\n", answers=[TextAnswer(text="(50%)"), TextAnswer(text="T", weight=0)]),
    SingleChoice(
        stem="//x\n- [x] y\n## z\n{type=essay}\n> q\n\\",
        format="moodle",
        options=[
            Option(text="%1%", weight=100),
            Option(text="[html]b\n> c\n\\d", feedback="e\n\nf"),
        ],
    ),
    Matching(
        stem="$CATEGORY: t",
        format="moodle",
        pairs=[
            Pair(left="[x] %a%", right="->b"),
            Pair(left="c-", right=">d"),
            Pair(left="", right="#"),
        ],
    ),
    Numerical(
        stem="n",
        answers=[NumericAnswer(min=3.13, max=3.15), NumericAnswer(min=None, max=None, weight=0)],
    ),
    TrueFalse(
        stem="\u0338=x\n\u0301", answer=False, feedback_true="\u0338", topic="top/$course$/x"
    ),
]
NASTY = [normalize_item(item) for item in RAW_NASTY]


@CHECKS
@given(banks.map(valid))
@example(NASTY)
def test_markdown_round_trip(bank):
    assert parse_markdown(to_markdown(bank), "x.md").items == bank


@CHECKS
@given(banks.map(valid))
@example(NASTY)
def test_gift_round_trip(bank):
    assert parse_gift(to_gift(bank), "x.gift").items == bank


@CHECKS
@given(banks.map(valid))
@example(NASTY)
def test_json_round_trip(bank):
    text = dumps_items(bank)
    assert loads_items(text, "x.json") == bank
    assert [entry["type"] for entry in json.loads(text)] == [item.type for item in bank]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(banks.map(valid))
def test_gift_to_markdown_to_gift_keeps_every_item(bank):
    from_gift = parse_gift(to_gift(bank), "x.gift").items
    assert parse_markdown(to_markdown(from_gift), "x.md").items == bank
